import Delivery
import GatewayKit
import Storage

/// The inbound step that notices replies to campaigns: a message from a customer within `campaigns.reply_window` of
/// the latest campaign message sent to them marks that recipient `replied` (the first reply's time kept). It only
/// takes note: the message flows on to the ticket step like any other. Counted in
/// `gateway_campaign_replies_total`.
public struct CampaignReplyStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public var kinds: Set<String> { ["message"] }
    private let windowMilliseconds: Int64

    public init(settings: CampaignSettings) {
        windowMilliseconds = Int64(settings.replyWindowMilliseconds)
    }

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message = item.event, let contactID = item.contactID, !item.contactIsNew,
              let latest = try connection.queryOne("""
                  SELECT r.campaign_id, r.customer_id, r.replied_at FROM campaign_recipients r
                  JOIN customer_profiles p ON p.customer_id = r.customer_id
                  WHERE p.contact_id = ? AND r.sent_at >= ? AND r.sent_at <= ? AND r.outcome NOT IN ('failed', 'cancelled')
                  ORDER BY r.sent_at DESC LIMIT 1
                  """, [.text(contactID), .integer(item.now - windowMilliseconds), .integer(item.now)]),
              latest.int64("replied_at") == nil, let campaign = latest.int64("campaign_id"),
              let customer = latest.int64("customer_id")
        else { return .next }
        try connection.run("""
            UPDATE campaign_recipients SET outcome = 'replied', replied_at = ?, updated_at = ?
            WHERE campaign_id = ? AND customer_id = ?
            """, [.integer(item.now), .integer(item.now), .integer(campaign), .integer(customer)])
        item.counts.increment("gateway_campaign_replies_total", help: "Campaign messages their recipient answered")
        item.applied = true
        return .next
    }
}
