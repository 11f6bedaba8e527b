import Foundation
import GatewayKit
import Messaging
import Storage

/// One cycle's reminders within a run: writes its attempt rows and queues its messages.
struct RenewalReminder {
    static let templateBefore = "renewal_reminder_before"
    static let templateAfter = "renewal_reminder_after"

    let outlet: RenewalCandidate
    let renewalID: Int64
    let zone: TimeZone
    let now: Int64

    /// Writes a skipped (or stale) attempt.
    func record(offset: Int, phone: String, _ result: RenewalAttemptResult, history: inout RenewalHistory,
                in connection: any DatabaseConnection) throws -> RenewalAttemptResult {
        _ = try RenewalTable.insertAttempt(row(offset, phone, result), now: now, in: connection)
        history.record(renewalID, offset: offset, phone: phone, messagedAt: nil)
        return result
    }

    /// Writes the attempt and queues its template message to `phone` for `at` (later than now = after quiet hours).
    /// A message the sender refuses (a parameter the Cloud API would not take) is a `failed` attempt.
    /// - Throws: ``WhatsAppSendError/notConfigured(_:)`` (the whole run rolls back), or the database's error.
    func send(offset: Int, phone: String, at: Int64, language: String, sender: WhatsAppSender,
              history: inout RenewalHistory, in connection: any DatabaseConnection) throws -> RenewalAttemptResult {
        let template = offset > 0 ? Self.templateAfter : Self.templateBefore
        var attempt = row(offset, phone, at > now ? .rescheduled : .sent)
        attempt.template = template
        attempt.language = language
        attempt.sentAt = at
        let id = try RenewalTable.insertAttempt(attempt, now: now, in: connection)
        do {
            let message = try sender.enqueue(WhatsAppSend(
                recipient: .phone(phone),
                content: .template(name: template, language: language,
                                   parameters: [outlet.name, Self.dayMonthYear(outlet.expiryDate)]),
                purpose: RenewalScheduler.purpose, reference: String(id),
                idempotencyKey: "renewal:\(renewalID):\(offset):\(phone)", notBeforeMillis: at > now ? at : nil),
                in: connection)
            try RenewalTable.attach(message: message.id, to: id, in: connection)
        } catch let error as WhatsAppSendError {
            if case .notConfigured = error { throw error }
            let detail = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            var outcome = RenewalAttemptResult.failed
            if case .templateNotApproved = error { outcome = .skippedTemplate }
            try RenewalTable.settle(attempt: id, from: [attempt.result], to: outcome,
                                    detail: detail.isEmpty ? Problem(GatewayError(error)).detail : detail, now: now,
                                    in: connection)
            history.record(renewalID, offset: offset, phone: phone, messagedAt: nil)
            return outcome
        }
        history.record(renewalID, offset: offset, phone: phone, messagedAt: at)
        return attempt.result
    }

    private func row(_ offset: Int, _ phone: String, _ result: RenewalAttemptResult) -> RenewalAttemptRow {
        RenewalAttemptRow(renewalID: renewalID, offset: offset, scheduledDate: outlet.expiryDate.adding(days: offset),
                          phone: phone, result: result)
    }

    /// `31/12/2026`, the date as Malaysian merchants write it.
    static func dayMonthYear(_ date: CalendarDate) -> String {
        let text = date.description
        return "\(text.suffix(2))/\(text.dropFirst(5).prefix(2))/\(text.prefix(4))"
    }
}
