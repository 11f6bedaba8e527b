import Delivery
import GatewayKit
import Storage

extension TicketMessages {
    /// The ticket message of call `callID` in `direction`, or nil.
    static func call(_ callID: String, direction: String, in c: any DatabaseConnection) throws
        -> (id: Int64, ticketID: Int64)? {
        guard let row = try c.queryOne("""
            SELECT id, ticket_id FROM ticket_messages WHERE wa_message_id = ? AND direction = ? AND type = 'call'
            """, [.text(callID), .text(direction)]),
            let id = row.int64("id"), let ticketID = row.int64("ticket_id") else { return nil }
        return (id, ticketID)
    }

    /// Merges what `call` reports into the message's `content.call`: `{"direction": "customer"|"business", "status"?,
    /// "started_at"?, "ended_at"?, "duration"?, "events": [event, …]}` (times unix seconds, WhatsApp's); a later report
    /// fills in and updates, an older one only adds its event.
    static func recordCall(_ call: InboundCall, messageID: Int64, in c: any DatabaseConnection) throws {
        let stored = try c.queryOne("SELECT content FROM ticket_messages WHERE id = ?", [.integer(messageID)])?
            .string("content").flatMap { try? JSONParser.parse(Array($0.utf8)) }
        var content = stored?.objectValue ?? [:]
        var record = content["call"]?.objectValue ?? ["direction": .string(call.customerCalled ? "customer" : "business")]
        let latest = (record["reported_at"]?.int64Value ?? 0) <= call.timestamp
        func set(_ key: String, _ value: JSONValue?) {
            guard let value else { return }
            if latest || record[key] == nil { record[key] = value }
        }
        set("status", call.status.map(JSONValue.string))
        set("started_at", call.startedAt.map(JSONValue.integer))
        set("ended_at", call.endedAt.map(JSONValue.integer))
        set("duration", call.duration.map(JSONValue.integer))
        if latest { record["reported_at"] = .integer(call.timestamp) }
        record["events"] = .array((record["events"]?.arrayValue ?? []) + [.string(call.event)])
        content["call"] = .object(record)
        try c.run("UPDATE ticket_messages SET content = ? WHERE id = ?",
                  [.text(JSONWriter.string(.object(content))), .integer(messageID)])
    }
}
