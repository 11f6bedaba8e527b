/// What became of one reminder (one renewal, reminder day and phone), as `renewal_attempts.result`.
public enum RenewalAttemptResult: String, Sendable, CaseIterable {
    /// Queued to the Cloud API (its message row tells the delivery).
    case sent
    /// Inside the outlet's quiet hours: queued for their end (`sent_at`); becomes `sent` when the Cloud API takes it.
    case rescheduled
    /// A rescheduled message withdrawn before it went: the outlet renewed or stopped, or the phone opted out.
    case cancelled
    /// Refused when queued, or reported failed by the Cloud API / Meta.
    case failed
    /// The phone had a renewal message within `renewals.contact_cap`.
    case skippedCap = "skipped_cap"
    /// The phone opted out (STOP/BERHENTI).
    case skippedOptOut = "skipped_opt_out"
    /// The renewal had its `renewals.max_attempts_per_renewal` rounds already.
    case skippedMaxAttempts = "skipped_max_attempts"
    /// A reminder day missed (gateway down, outlet imported late) whose next reminder day had come: never sent late.
    case skippedStale = "skipped_stale"
    /// The outlet has no phone.
    case skippedNoPhone = "skipped_no_phone"
    /// Meta paused, rejected or disabled the reminder template in the phone's language: nothing was queued.
    case skippedTemplate = "skipped_template"

    /// Results that put (or will put) a message in front of the person: what caps count.
    static let messaging: [RenewalAttemptResult] = [.sent, .rescheduled]
}
