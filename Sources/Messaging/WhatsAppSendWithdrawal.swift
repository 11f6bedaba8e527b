import Delivery
import Storage

/// Takes back a queued WhatsApp message that has not been tried yet — a send deferred past the recipient's quiet
/// hours whose reason went away (the outlet renewed, the person opted out). The outbox row is deleted and the
/// message row becomes `failed` with the error title `withdrawn` and the reason as detail, so
/// `GET /v1/whatsapp/messages/{id}` tells what happened. Status listeners are not told: the caller withdrew it.
public enum WhatsAppSendWithdrawal {
    /// The error title of a withdrawn message.
    public static let title = "withdrawn"

    /// Withdraws message `id` on `connection` (inside the caller's transaction); false when it is no longer queued
    /// (being sent, sent, failed) or unknown — it then goes its way.
    public static func withdraw(messageID id: Int64, reason: String, at: Int64,
                                in connection: any DatabaseConnection) throws -> Bool {
        guard let row = try connection.queryOne(
                "SELECT status, outbox_key FROM whatsapp_outbound_messages WHERE id = ?", [.integer(id)]),
              row.string("status") == WhatsAppMessageStatus.queued.rawValue, let outboxKey = row.string("outbox_key"),
              try Outbox.withdraw(idempotencyKey: outboxKey, in: connection)
        else { return false }
        try connection.run("""
            UPDATE whatsapp_outbound_messages SET status = 'failed', failed_at = ?, error_code = NULL, error_title = ?,
                error_detail = ?, updated_at = ?
            WHERE id = ?
            """, [.integer(at), .text(title), .text(reason), .integer(at), .integer(id)])
        return true
    }
}
