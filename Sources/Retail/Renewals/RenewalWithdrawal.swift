import Messaging
import Storage

/// Takes back reminders still waiting for the end of quiet hours when their reason went away before they went: the
/// outlet renewed or stopped, or the phone opted out. Each waiting message is withdrawn from the outbox
/// (``WhatsAppSendWithdrawal``) and its attempt becomes `cancelled`; one the dispatcher already holds goes its way and
/// its attempt counts as `sent`.
enum RenewalWithdrawal {
    /// The waiting reminders of cycle `renewalID`.
    static func withdraw(renewal renewalID: Int64, reason: String, at: Int64, in connection: any DatabaseConnection) throws {
        try withdraw(connection.query("""
            SELECT id, message_id FROM renewal_attempts WHERE renewal_id = ? AND result = 'rescheduled'
            """, [.integer(renewalID)]), reason: reason, at: at, in: connection)
    }

    /// The waiting reminders to `phone`.
    static func withdraw(phone: String, reason: String, at: Int64, in connection: any DatabaseConnection) throws {
        try withdraw(connection.query("""
            SELECT id, message_id FROM renewal_attempts WHERE phone = ? AND result = 'rescheduled'
            """, [.text(phone)]), reason: reason, at: at, in: connection)
    }

    private static func withdraw(_ rows: [Row], reason: String, at: Int64, in connection: any DatabaseConnection) throws {
        for row in rows {
            guard let id = row.int64("id") else { continue }
            let withdrawn = try row.int64("message_id").map {
                try WhatsAppSendWithdrawal.withdraw(messageID: $0, reason: reason, at: at, in: connection)
            } ?? true
            try RenewalTable.settle(attempt: id, from: [.rescheduled], to: withdrawn ? .cancelled : .sent,
                                    detail: withdrawn ? reason : nil, now: at, in: connection)
        }
    }
}
