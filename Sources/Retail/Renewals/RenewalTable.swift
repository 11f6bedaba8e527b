import GatewayKit
import Storage

/// Writes to `renewals` and `renewal_attempts`, on the writer's connection inside the caller's transaction.
enum RenewalTable {
    /// Opens the cycle of `outlet`'s current expiry date; returns its id.
    static func open(_ outlet: RenewalCandidate, now: Int64, in connection: any DatabaseConnection) throws -> Int64 {
        try connection.run("""
            INSERT INTO renewals (oid, fid, due_date, status, created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?)
            """, [.text(outlet.oid), .text(outlet.fid), .text(outlet.expiryDate.description), .integer(now),
                  .integer(now)])
        return connection.lastInsertRowID
    }

    /// Open cycles due before `date` lapse (their last reminder's window passed); returns how many.
    static func lapse(dueBefore date: CalendarDate, now: Int64, in connection: any DatabaseConnection) throws -> Int {
        try connection.run("""
            UPDATE renewals SET status = 'lapsed', updated_at = ? WHERE status = 'open' AND due_date < ?
            """, [.integer(now), .text(date.description)])
        return connection.changes
    }

    /// Moves cycle `id` to `status` when it is in one of `from`; returns whether it moved.
    @discardableResult
    static func move(_ id: Int64, from: [RenewalStatus], to status: RenewalStatus, reason: String?, now: Int64,
                     in connection: any DatabaseConnection) throws -> Bool {
        let marks = Array(repeating: "?", count: from.count).joined(separator: ", ")
        try connection.run("""
            UPDATE renewals SET status = ?, stop_reason = ?, updated_at = ? WHERE id = ? AND status IN (\(marks))
            """, [.text(status.rawValue), SQLValue(reason), .integer(now), .integer(id)]
                + from.map { .text($0.rawValue) })
        return connection.changes == 1
    }

    /// Cycle `id` renewed: the new expiry date and the recovery flags, fixed now.
    static func renew(_ id: Int64, newExpiry: CalendarDate, afterExpiry: Bool, now: Int64,
                      in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE renewals SET status = 'renewed', stop_reason = NULL, renewed_at = ?, new_expiry_date = ?,
                renewed_after_expiry = ?, updated_at = ?,
                renewed_after_reminder = CASE WHEN EXISTS (SELECT 1 FROM renewal_attempts a
                                                           WHERE a.renewal_id = renewals.id AND a.result = 'sent')
                                         THEN 1 ELSE 0 END
            WHERE id = ?
            """, [.integer(now), .text(newExpiry.description), .integer(afterExpiry ? 1 : 0), .integer(now),
                  .integer(id)])
    }

    /// The id and status of the cycle of outlet `oid` due on `date`, if any.
    static func cycle(oid: String, due date: CalendarDate,
                      in connection: any DatabaseConnection) throws -> (id: Int64, status: RenewalStatus, reason: String?)? {
        guard let row = try connection.queryOne("""
                SELECT id, status, stop_reason FROM renewals WHERE oid = ? AND due_date = ?
                """, [.text(oid), .text(date.description)]),
              let id = row.int64("id"), let status = row.string("status").flatMap(RenewalStatus.init(rawValue:))
        else { return nil }
        return (id, status, row.string("stop_reason"))
    }

    /// One attempt row as decided by the run; returns its id.
    static func insertAttempt(_ attempt: RenewalAttemptRow, now: Int64,
                              in connection: any DatabaseConnection) throws -> Int64 {
        try connection.run("""
            INSERT INTO renewal_attempts (renewal_id, offset_days, scheduled_date, phone, template, language, result,
                                          detail, sent_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(attempt.renewalID), .integer(Int64(attempt.offset)),
                  .text(attempt.scheduledDate.description), .text(attempt.phone), SQLValue(attempt.template), SQLValue(attempt.language),
                  .text(attempt.result.rawValue), SQLValue(attempt.detail), SQLValue(attempt.sentAt), .integer(now),
                  .integer(now)])
        return connection.lastInsertRowID
    }

    /// Records the message queued for attempt `id`.
    static func attach(message: Int64, to id: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("UPDATE renewal_attempts SET message_id = ? WHERE id = ?", [.integer(message), .integer(id)])
    }

    /// Attempt `id` becomes `result` with `detail` (nil clears it) when its result is one of `from`.
    static func settle(attempt id: Int64, from: [RenewalAttemptResult], to result: RenewalAttemptResult,
                       detail: String?, now: Int64, in connection: any DatabaseConnection) throws {
        let marks = Array(repeating: "?", count: from.count).joined(separator: ", ")
        try connection.run("""
            UPDATE renewal_attempts SET result = ?, detail = ?, updated_at = ?
            WHERE id = ? AND result IN (\(marks))
            """, [.text(result.rawValue), SQLValue(detail), .integer(now), .integer(id)]
                + from.map { .text($0.rawValue) })
    }
}

/// An attempt as the run decides it, before it is written.
struct RenewalAttemptRow: Sendable {
    var renewalID: Int64
    var offset: Int
    var scheduledDate: CalendarDate
    var phone: String
    var result: RenewalAttemptResult
    var template: String? = nil
    var language: String? = nil
    var detail: String? = nil
    var sentAt: Int64? = nil
}
