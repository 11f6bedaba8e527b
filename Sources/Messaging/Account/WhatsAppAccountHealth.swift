import Delivery
import GatewayKit
import Storage

/// The business account's health as Meta reports it (the `whatsapp_account_updates` table): every report with its
/// time, the latest per topic, and whether the account is restricted now. Sends are not stopped here — Meta refuses
/// what a restriction forbids, and the dispatcher records that — but the admin view and the alert say why.
public enum WhatsAppAccountHealth {
    /// Account events that limit or stop messaging.
    public static let restrictingEvents: Set<String> = [
        "ACCOUNT_RESTRICTION", "ACCOUNT_VIOLATION", "DISABLED_UPDATE", "ACCOUNT_OFFBOARDED",
    ]

    /// Records `update`, reported at `at` (unix seconds).
    public static func record(_ update: InboundAccountUpdate, at: Int64, now: Int64,
                              in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO whatsapp_account_updates (account_id, topic, event, phone_number, detail, reported_at,
                                                  created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(update.accountID), .text(update.topic), .text(update.event), SQLValue(update.phoneNumber),
                  .text(JSONWriter.string(update.detail)), .integer(at), .integer(now)])
    }

    /// The latest report of each topic (by Meta's time, then arrival).
    public static func latest(in c: any DatabaseConnection) throws -> [Row] {
        try c.query("""
            SELECT u.* FROM whatsapp_account_updates u
            WHERE u.id = (SELECT v.id FROM whatsapp_account_updates v WHERE v.topic = u.topic
                          ORDER BY v.reported_at DESC, v.id DESC LIMIT 1)
            ORDER BY u.topic
            """)
    }

    /// `GET /v1/whatsapp/account`: `{"restricted", "latest": {"<topic>": report}, "history": [report, …]}` — a
    /// report is `{"account_id", "topic", "event", "phone_number"?, "detail", "reported_at", "received_at"}`
    /// (`reported_at` unix seconds, Meta's; `received_at` unix milliseconds), history newest first, at most `limit`.
    public static func document(limit: Int = 50, in c: any DatabaseConnection) throws -> JSONValue {
        let latest = try latest(in: c)
        var byTopic: [String: JSONValue] = [:]
        for row in latest { byTopic[row.string("topic") ?? ""] = json(row) }
        let restricted = latest.contains {
            $0.string("topic") == "account_update" && restrictingEvents.contains($0.string("event") ?? "")
        }
        let history = try c.query("SELECT * FROM whatsapp_account_updates ORDER BY reported_at DESC, id DESC LIMIT ?",
                                  [.integer(Int64(limit))]).map(json)
        return ["restricted": .bool(restricted), "latest": .object(byTopic), "history": .array(history)]
    }

    private static func json(_ row: Row) -> JSONValue {
        var o: [String: JSONValue] = [
            "account_id": .string(row.string("account_id") ?? ""), "topic": .string(row.string("topic") ?? ""),
            "event": .string(row.string("event") ?? ""), "reported_at": .integer(row.int64("reported_at") ?? 0),
            "received_at": .integer(row.int64("created_at") ?? 0),
            "detail": (try? JSONParser.parse(Array((row.string("detail") ?? "{}").utf8))) ?? .object([:]),
        ]
        o.put("phone_number", row.string("phone_number"))
        return .object(o)
    }
}
