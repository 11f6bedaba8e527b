import Delivery
import Foundation
import GatewayKit
import Identity
import Messaging
import Storage

/// The daily renewal run, on the writer's connection in one transaction: lapses cycles
/// whose last reminder passed, opens a cycle for every `active`/`expired` outlet expiring within
/// `renewals.horizon_days`, and for each cycle handles the reminder days that have come (``RenewalCadence``): the
/// current one is sent to every phone of the outlet — template `renewal_reminder_before` up to the expiry day,
/// `renewal_reminder_after` after it, {{1}} outlet name, {{2}} expiry date DD/MM/YYYY — unless a rule skips it
/// (opt-out, attempts per renewal, the per-phone frequency cap); earlier missed ones are recorded `skipped_stale`.
/// A send inside the outlet's quiet hours is queued for their end (`rescheduled`). Every decision is a
/// `renewal_attempts` row, unique per (renewal, day, phone), so running twice on one day sends nothing twice.
///
/// Days are the outlet's own (`outlets.time_zone`); the horizon and the lapse sweep use `pos.default_time_zone`.
public struct RenewalScheduler: Sendable {
    /// The `purpose` of reminder messages (their `reference` is the attempt id).
    public static let purpose = "renewal"

    let settings: RenewalSettings
    let cadence: RenewalCadence
    let referenceTimeZone: TimeZone
    let defaultLanguage: String
    let sender: WhatsAppSender

    /// - Parameters:
    ///   - referenceTimeZone: `pos.default_time_zone`, for the horizon and the lapse sweep.
    ///   - defaultLanguage: the template language of reminders (`whatsapp.default_language`).
    public init(settings: RenewalSettings, referenceTimeZone: String, defaultLanguage: String,
                sender: WhatsAppSender) {
        self.settings = settings
        cadence = RenewalCadence(offsets: settings.offsetsDays)
        self.referenceTimeZone = .named(referenceTimeZone)
        self.defaultLanguage = defaultLanguage
        self.sender = sender
    }

    /// When the run of local day `date` (in `pos.default_time_zone`) is due: `renewals.run_time` that day.
    public func runTime(on date: CalendarDate) -> Int64 { schedule.slot(on: date) }

    /// The daily schedule of the run.
    public var schedule: DailySchedule {
        DailySchedule(minuteOfDay: settings.runMinuteOfDay, timeZone: referenceTimeZone)
    }

    /// Runs once as of `now` (unix ms) on `connection`, inside the caller's transaction.
    /// - Throws: ``WhatsAppSendError/notConfigured(_:)`` when a reminder is due but sends are not configured (the
    ///   caller rolls back: nothing is recorded, the next run tries again), or the database's error.
    public func run(at now: Int64, in connection: any DatabaseConnection) throws -> RenewalRunReport {
        // Two runs at once (the daily job beside `gateway renewals run`, on PostgreSQL) take turns: the second reads
        // what the first recorded, so no cycle is opened and no reminder sent twice.
        try connection.serialize(on: ["renewal-run"])
        let today = CalendarDate(unixMillis: now, in: referenceTimeZone)
        var report = RenewalRunReport(date: today)
        // One day of slack on the early side: an outlet west of the reference zone may still be a day behind.
        let from = today.adding(days: -cadence.lastRelevantOffset - 1)
        let through = today.adding(days: settings.horizonDays)
        report.lapsed = try RenewalTable.lapse(dueBefore: from, now: now, in: connection)
        let capStart = now - Int64(settings.contactCapMilliseconds)
        var history = try RenewalHistory.load(from: from, through: through, messagedSince: capStart, in: connection)
        var zones: [String: TimeZone] = [:]
        for outlet in try RenewalCandidate.list(from: from, through: through, in: connection) {
            let zone = zones[outlet.timeZone] ?? {
                let zone = TimeZone(identifier: outlet.timeZone) ?? referenceTimeZone
                zones[outlet.timeZone] = zone
                return zone
            }()
            let localToday = CalendarDate(unixMillis: now, in: zone)
            let day = localToday.daysSinceEpoch - outlet.expiryDate.daysSinceEpoch
            guard day >= -settings.horizonDays, day <= cadence.lastRelevantOffset,
                  outlet.renewalStatus == nil || outlet.renewalStatus == .open else { continue }
            let renewalID: Int64
            if let id = outlet.renewalID {
                renewalID = id
            } else {
                renewalID = try RenewalTable.open(outlet, now: now, in: connection)
                report.opened += 1
            }
            let plan = cadence.plan(expiry: outlet.expiryDate, today: localToday)
            let reminder = RenewalReminder(outlet: outlet, renewalID: renewalID, zone: zone, now: now)
            for offset in plan.due {
                for phone in outlet.phones.isEmpty ? [""] : outlet.phones
                where !history.handled(renewalID, offset: offset, phone: phone) {
                    let result = offset == plan.current
                        ? try remind(reminder, offset: offset, phone: phone, history: &history, in: connection)
                        : try reminder.record(offset: offset, phone: phone, .skippedStale, history: &history,
                                              in: connection)
                    report.count(result)
                }
            }
            if !outlet.phones.isEmpty, outlet.phones.allSatisfy(history.optedOut),
               try RenewalTable.move(renewalID, from: [.open], to: .optedOut, reason: "opted_out", now: now,
                                     in: connection) {
                report.optedOut += 1
            }
        }
        try RenewalRunLog.record(report, at: now, in: connection)
        return report
    }

    /// Whether the customer of `phone` stopped marketing messages in WhatsApp and `renewals.respect_marketing_stop`
    /// makes that stop reminders too.
    private func stoppedMarketing(_ phone: String, in connection: any DatabaseConnection) throws -> Bool {
        guard settings.respectMarketingStop else { return false }
        return try CustomerConsents.isWithdrawn(InboundPreference.marketingCategory, phone: phone, in: connection)
    }

    /// The current reminder day for one phone: a skip, or a message queued (now, or at the end of quiet hours).
    private func remind(_ reminder: RenewalReminder, offset: Int, phone: String, history: inout RenewalHistory,
                        in connection: any DatabaseConnection) throws -> RenewalAttemptResult {
        let skip: RenewalAttemptResult?
        let sendAt = settings.quietHours?.sendTime(for: reminder.now, in: reminder.zone) ?? reminder.now
        if phone.isEmpty {
            skip = .skippedNoPhone
        } else if try history.optedOut(phone) || stoppedMarketing(phone, in: connection) {
            skip = .skippedOptOut
        } else if history.rounds(reminder.renewalID, besides: offset) >= settings.maxAttemptsPerRenewal {
            skip = .skippedMaxAttempts
        } else if history.capped(phone, at: sendAt, window: Int64(settings.contactCapMilliseconds)) {
            skip = .skippedCap
        } else {
            skip = nil
        }
        if let skip {
            return try reminder.record(offset: offset, phone: phone, skip, history: &history, in: connection)
        }
        return try reminder.send(offset: offset, phone: phone, at: sendAt,
                                 language: history.language(phone) ?? defaultLanguage, sender: sender,
                                 history: &history, in: connection)
    }
}
