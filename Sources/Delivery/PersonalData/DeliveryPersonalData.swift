import GatewayKit
import Storage

/// What the delivery machinery stores about a person, found by the strings that identify them (`needles`: phones,
/// BSUIDs, emails) in raw bodies: acknowledged webhook deliveries and their items, outbound bodies, dead letters,
/// and the inbox log of acknowledgements (a database of its own). An erasure empties those bodies; a message not yet
/// sent to the person is not sent.
public enum DeliveryPersonalData {
    /// Counts and ids of what mentions the person, for the subject-access export (raw bodies included, as stored).
    public static func export(_ needles: [String], in c: any DatabaseConnection) throws -> JSONValue {
        let inbox = SQLCondition.mentions("body", needles)
        let deliveries = try c.query("""
            SELECT public_id, source, received_at, body FROM inbox WHERE \(inbox.sql) ORDER BY id LIMIT 1000
            """, inbox.parameters).map { row -> JSONValue in
            ["id": JSONValue(row.string("public_id")), "source": JSONValue(row.string("source")),
             "received_at": .string(Timestamps.rfc3339(row.int64("received_at") ?? 0)),
             "body": row.blob("body").flatMap { try? JSONParser.parse($0) } ?? .null]
        }
        let outbound = SQLCondition.mentions("body", needles)
        let queued = try c.queryOne("SELECT count(*) AS n FROM outbox WHERE \(outbound.sql)", outbound.parameters)
        let dead = try c.queryOne("SELECT count(*) AS n FROM dead_letters WHERE \(outbound.sql)", outbound.parameters)
        return ["webhook_deliveries": .array(deliveries), "outbound_calls": .integer(queued?.int64("n") ?? 0),
                "dead_letters": .integer(dead?.int64("n") ?? 0)]
    }

    /// Empties the bodies that mention the person; unsent outbound calls to them are dropped. The rows changed.
    public static func erase(_ needles: [String], in c: any DatabaseConnection) throws -> Int {
        guard !needles.isEmpty else { return 0 }
        var changed = 0
        let inbox = SQLCondition.mentions("body", needles)
        let replies = SQLCondition.mentions("response_body", needles)
        try c.run("UPDATE inbox SET body = ?, response_body = ? WHERE \(inbox.sql) OR \(replies.sql)",
                  [Self.empty, Self.empty] + inbox.parameters + replies.parameters)
        changed += c.changes
        let items = SQLCondition.mentions("payload", needles)
        try c.run("UPDATE inbox_items SET payload = '{}' WHERE \(items.sql)", items.parameters)
        changed += c.changes
        // Keys can name the person too (a contact item's key holds the BSUID): such a row keeps its uniqueness
        // under a key of its own.
        for (table, column) in [("inbox", "dedupe_key"), ("inbox_items", "dedupe_key"), ("outbox", "idempotency_key")] {
            let keys = SQLCondition.mentions(column, needles)
            try c.run("UPDATE \(table) SET \(column) = 'erased:' || id WHERE \(keys.sql)", keys.parameters)
            changed += c.changes
        }
        let bodies = SQLCondition.mentions("body", needles), order = SQLCondition.mentions("ordering_key", needles)
        try c.run("DELETE FROM outbox WHERE status = 'pending' AND (\(bodies.sql) OR \(order.sql))",
                  bodies.parameters + order.parameters)
        changed += c.changes
        try c.run("UPDATE outbox SET body = ?, ordering_key = NULL WHERE \(bodies.sql) OR \(order.sql)",
                  [Self.empty] + bodies.parameters + order.parameters)
        changed += c.changes
        try c.run("DELETE FROM dead_letters WHERE \(bodies.sql) OR \(order.sql)", bodies.parameters + order.parameters)
        changed += c.changes
        return changed
    }

    /// The inbox log's part, on its own database: acknowledged deliveries whose body mentions the person lose their
    /// body and answer. The rows changed.
    public static func eraseFromLog(_ needles: [String], in c: any DatabaseConnection) throws -> Int {
        guard !needles.isEmpty else { return 0 }
        let bodies = SQLCondition.mentions("body", needles)
        let replies = SQLCondition.mentions("response_body", needles)
        try c.run("UPDATE deliveries SET body = ?, response_body = ? WHERE \(bodies.sql) OR \(replies.sql)",
                  [Self.empty, Self.empty] + bodies.parameters + replies.parameters)
        let changed = c.changes
        let keys = SQLCondition.mentions("dedupe_key", needles)
        try c.run("UPDATE deliveries SET dedupe_key = 'erased:' || id WHERE \(keys.sql)", keys.parameters)
        return changed + c.changes
    }

    /// What an erased body is: no bytes (bound, as `x''` is a bit string on PostgreSQL).
    private static let empty = SQLValue.blob([])
}
