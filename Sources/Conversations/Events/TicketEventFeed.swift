import Delivery
import Storage

/// One change of what a desk screen shows: ticket `ticketID` (of outlet `fid`/`oid` at that moment) — `kind` is
/// `opened`, `changed`, `message` (in, out, or a delivery status), `note`, `csat` or `sla` (a breach).
public struct TicketEvent: Sendable, Equatable {
    /// The feed's position: grows with every event, never reused.
    public let seq: Int64
    public let ticketID: Int64
    public let kind: String
    public let fid: String?
    public let oid: String?

    public init(seq: Int64, ticketID: Int64, kind: String, fid: String?, oid: String?) {
        (self.seq, self.ticketID, self.kind, self.fid, self.oid) = (seq, ticketID, kind, fid, oid)
    }
}

/// Reads the desk's change feed (`ticket_events`, written by triggers in the transaction of each change): what
/// happened after a position, in order. Live screens follow it; it keeps ``retention`` of history so a client that
/// was away briefly resumes where it left off.
public struct TicketEventFeed: Sendable {
    let database: any Database

    /// How long events are kept: the longest a client may be away and still resume without reloading.
    public static let retentionMilliseconds: Int64 = 24 * 3_600_000

    public init(database: any Database) {
        self.database = database
    }

    /// The newest event's position; 0 when there has been none.
    public func latest() throws -> Int64 {
        try database.read { c in try c.queryOne("SELECT max(seq) AS seq FROM ticket_events")?.int64("seq") ?? 0 }
    }

    /// Up to `limit` events after position `after`, oldest first.
    public func events(after: Int64, limit: Int) throws -> [TicketEvent] {
        try database.read { c in
            try c.query("""
                SELECT seq, ticket_id, kind, fid, oid FROM ticket_events WHERE seq > ? ORDER BY seq LIMIT ?
                """, [.integer(after), .integer(Int64(limit))]).compactMap { row in
                guard let seq = row.int64("seq"), let ticket = row.int64("ticket_id"), let kind = row.string("kind")
                else { return nil }
                return TicketEvent(seq: seq, ticketID: ticket, kind: kind, fid: row.string("fid"),
                                   oid: row.string("oid"))
            }
        }
    }

    /// Whether a client that saw every event up to `position` can carry on from there: the feed still holds every
    /// event after it (none purged unseen), and `position` is not ahead of the feed (an identifier from another
    /// database, or from before a restore). When it cannot, the client reloads what it shows and follows from now.
    public func canResume(from position: Int64) throws -> Bool {
        try database.read { c in
            guard let row = try c.queryOne("SELECT min(seq) AS oldest, max(seq) AS newest FROM ticket_events"),
                  let oldest = row.int64("oldest"), let newest = row.int64("newest") else { return false }
            return position >= oldest - 1 && position <= newest
        }
    }

    /// Removes events older than ``retentionMilliseconds``.
    public static var retentionRule: RetentionRule {
        RetentionRule("ticket_events", keep: retentionMilliseconds) { before, limit, c in
            // Oldest first: the old rows are at the start of the table, so a batch stops early.
            try c.run("""
                DELETE FROM ticket_events WHERE seq IN (SELECT seq FROM ticket_events WHERE at < ? ORDER BY seq LIMIT ?)
                """, [.integer(before), .integer(Int64(limit))])
            return c.changes
        }
    }
}
