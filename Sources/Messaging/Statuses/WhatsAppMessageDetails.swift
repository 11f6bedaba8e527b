import Delivery
import GatewayKit
import Storage

/// The `whatsapp_message_details` table: the conversation, pricing and playback facts Meta's status reports carry for
/// a sent message, for cost reporting and the message API. A later report fills what earlier ones left empty and
/// updates what it says again; the first `played` time stays.
enum WhatsAppMessageDetails {
    /// Records what `report` says beyond its status; false when it says nothing of that.
    static func record(_ report: InboundStatus, now: Int64, in c: any DatabaseConnection) throws -> Bool {
        let played: Int64? = report.state == .other("played") ? report.timestamp : nil
        let facts: [SQLValue] = [SQLValue(played), SQLValue(report.conversationID), SQLValue(report.conversationOrigin),
                                 SQLValue(report.conversationExpiresAt), SQLValue(report.pricingCategory),
                                 SQLValue(report.pricingModel), SQLValue(report.billable.map { $0 ? Int64(1) : 0 })]
        guard facts.contains(where: { $0 != .null }) else { return false }
        try c.run("""
            INSERT INTO whatsapp_message_details AS d (wamid, played_at, conversation_id, conversation_origin,
                conversation_expires_at, pricing_category, pricing_model, billable, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (wamid) DO UPDATE SET played_at = coalesce(d.played_at, excluded.played_at),
                conversation_id = coalesce(excluded.conversation_id, d.conversation_id),
                conversation_origin = coalesce(excluded.conversation_origin, d.conversation_origin),
                conversation_expires_at = coalesce(excluded.conversation_expires_at, d.conversation_expires_at),
                pricing_category = coalesce(excluded.pricing_category, d.pricing_category),
                pricing_model = coalesce(excluded.pricing_model, d.pricing_model),
                billable = coalesce(excluded.billable, d.billable), updated_at = excluded.updated_at
            """, [.text(report.messageID)] + facts + [.integer(now)])
        return true
    }

    /// `{"played_at"?, "conversation": {"id"?, "origin"?, "expires_at"?}?, "pricing": {"category"?, "model"?,
    /// "billable"?}?}` for the message with `wamid`; nil when no report said any of it.
    static func json(wamid: String, in c: any DatabaseConnection) throws -> [String: JSONValue]? {
        guard let row = try c.queryOne("SELECT * FROM whatsapp_message_details WHERE wamid = ?", [.text(wamid)])
        else { return nil }
        var conversation: [String: JSONValue] = [:]
        conversation.put("id", row.string("conversation_id"))
        conversation.put("origin", row.string("conversation_origin"))
        conversation.put("expires_at", row.int64("conversation_expires_at"))
        var pricing: [String: JSONValue] = [:]
        pricing.put("category", row.string("pricing_category"))
        pricing.put("model", row.string("pricing_model"))
        if let billable = row.int64("billable") { pricing["billable"] = .bool(billable == 1) }
        var details: [String: JSONValue] = [:]
        details.put("played_at", row.int64("played_at"))
        if !conversation.isEmpty { details["conversation"] = .object(conversation) }
        if !pricing.isEmpty { details["pricing"] = .object(pricing) }
        return details
    }
}
