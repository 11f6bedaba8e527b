import GatewayKit
import Messaging
import Storage

/// Reflects what became of campaign messages on their recipients (told by the WhatsApp kit inside the transaction
/// that changes the message): taken by the Cloud API or sent → `sent`, then `delivered` and `read` with their times,
/// or `failed` with the reason. An outcome never goes back (a late `sent` after `read` changes nothing), and a
/// reply (``CampaignReplyStep``) stays the last word.
public struct CampaignDeliveryListener: WhatsAppStatusListener {
    public init() {}

    public func statusChanged(_ change: WhatsAppStatusChange, in connection: any DatabaseConnection) throws {
        let message = change.message
        guard message.purpose == CampaignSending.purpose,
              let parts = message.reference?.split(separator: ":"), parts.count == 2,
              let campaign = Int64(parts[0]), let customer = Int64(parts[1]) else { return }
        let at = message.updatedAt
        let update: (outcome: String, from: [String], time: String?, reason: String?)
        switch message.status {
        case .queued: return
        case .accepted, .sent: update = ("sent", ["queued", "failed"], nil, nil)
        case .delivered: update = ("delivered", ["queued", "sent", "failed"], "delivered_at", nil)
        case .read: update = ("read", ["queued", "sent", "delivered", "failed"], "read_at", nil)
        case .failed:
            let reason = message.error.map { error in error.code.map { "\($0) \(error.title)" } ?? error.title }
            update = ("failed", ["queued", "sent"], nil, reason ?? "failed")
        }
        let from = SQLCondition.membership("outcome", update.from)
        try connection.run("""
            UPDATE campaign_recipients SET outcome = ?, reason = ?, updated_at = ?\(update.time.map { ", \($0) = ?" } ?? "")
            WHERE campaign_id = ? AND customer_id = ? AND \(from.sql)
            """, [.text(update.outcome), update.reason.map(SQLValue.text) ?? .null, .integer(at)]
                + (update.time == nil ? [] : [.integer(message.reportedAt[message.status] ?? at)])
                + [.integer(campaign), .integer(customer)] + from.parameters)
    }
}
