import Delivery
import GatewayKit
import Storage

/// The `customer_acquisitions` table: the ad or post a customer first came from (WhatsApp's `referral` on a message),
/// for marketing attribution. The earliest referral wins whatever order messages arrive in; it is audited
/// (`acquisition.recorded`) and so reaches the CRM like any identity change, and shown as `acquisition` on the
/// contact document.
enum CustomerAcquisitions {
    /// Records `message`'s referral for `customerID` unless an earlier one is kept; true when it wrote.
    @discardableResult
    static func record(_ message: InboundMessage, customerID: Int64, in changes: IdentityChangeSet) throws -> Bool {
        guard let referral = message.referral else { return false }
        let c = changes.connection
        if let kept = try c.queryOne("SELECT acquired_at FROM customer_acquisitions WHERE customer_id = ?",
                                     [.integer(customerID)])?.int64("acquired_at"), kept <= message.timestamp {
            return false
        }
        try c.run("""
            INSERT INTO customer_acquisitions (customer_id, channel, source_type, source_id, source_url, headline,
                                               click_id, message_id, acquired_at, created_at)
            VALUES (?, 'whatsapp', ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (customer_id) DO UPDATE SET source_type = excluded.source_type, source_id = excluded.source_id,
                source_url = excluded.source_url, headline = excluded.headline, click_id = excluded.click_id,
                message_id = excluded.message_id, acquired_at = excluded.acquired_at
            """, [.integer(customerID), SQLValue(referral.sourceType), SQLValue(referral.sourceID),
                  SQLValue(referral.sourceURL), SQLValue(referral.headline), SQLValue(referral.clickID),
                  .text(message.id), .integer(message.timestamp), .integer(changes.now)])
        try changes.audit(customerID, "acquisition.recorded", subject: referral.sourceID ?? referral.sourceURL,
                          after: referral.toJSON())
        return true
    }

    /// When customers merge, the survivor keeps the earlier acquisition of the two.
    static func fold(_ loser: Int64, into survivor: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO customer_acquisitions (customer_id, channel, source_type, source_id, source_url, headline,
                                               click_id, message_id, acquired_at, created_at)
            SELECT ?, channel, source_type, source_id, source_url, headline, click_id, message_id, acquired_at,
                   created_at
            FROM customer_acquisitions WHERE customer_id = ?
            ON CONFLICT (customer_id) DO UPDATE SET channel = excluded.channel, source_type = excluded.source_type,
                source_id = excluded.source_id, source_url = excluded.source_url, headline = excluded.headline,
                click_id = excluded.click_id, message_id = excluded.message_id, acquired_at = excluded.acquired_at
            WHERE excluded.acquired_at < customer_acquisitions.acquired_at
            """, [.integer(survivor), .integer(loser)])
        try c.run("DELETE FROM customer_acquisitions WHERE customer_id = ?", [.integer(loser)])
    }

    /// `{"channel", "source_type"?, "source_id"?, "source_url"?, "headline"?, "click_id"?, "message_id",
    /// "acquired_at"}` (`acquired_at` unix seconds, WhatsApp's), or null.
    static func json(of customerID: Int64, in c: any DatabaseConnection) throws -> JSONValue {
        guard let row = try c.queryOne("SELECT * FROM customer_acquisitions WHERE customer_id = ?",
                                       [.integer(customerID)]) else { return .null }
        var o: [String: JSONValue] = ["channel": .string(row.string("channel") ?? ""),
                                      "message_id": .string(row.string("message_id") ?? ""),
                                      "acquired_at": .integer(row.int64("acquired_at") ?? 0)]
        o.put("source_type", row.string("source_type"))
        o.put("source_id", row.string("source_id"))
        o.put("source_url", row.string("source_url"))
        o.put("headline", row.string("headline"))
        o.put("click_id", row.string("click_id"))
        return .object(o)
    }
}
