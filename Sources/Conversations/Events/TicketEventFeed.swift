import Delivery
import Storage

/// One change of what a desk screen shows: ticket `ticketID` (of outlet `fid`/`oid` at that moment) — `kind` is
/// `opened`, `changed`, `message` (in, out, or a delivery status), `note`, `csat` or `sla` (a breach).
public struct TicketEvent: Sendable, Equatable {
    /// The event's number: grows with every event, never reused.
    public let seq: Int64
    /// The transaction that wrote it (PostgreSQL's; 0 on SQLite).
    public let transaction: Int64
    public let ticketID: Int64
    public let kind: String
    public let fid: String?
    public let oid: String?

    public init(seq: Int64, transaction: Int64 = 0, ticketID: Int64, kind: String, fid: String?, oid: String?) {
        (self.seq, self.transaction, self.ticketID, self.kind, self.fid, self.oid) =
            (seq, transaction, ticketID, kind, fid, oid)
    }

    /// Its place in the feed's reading order.
    public var position: LogPosition { LogPosition(transaction: transaction, id: seq) }
}

/// Reads the desk's change feed (`ticket_events`, written in the transaction of each change): what
/// happened after a position, in the order the changes committed (``LogPosition``: on PostgreSQL only events no
/// transaction still running can precede, so a reader that moved past a position never finds an event appear before
/// it). Live screens follow it; it keeps ``retention`` of history so a client that was away briefly resumes where it
/// left off.
public struct TicketEventFeed: Sendable {
    let database: any Database

    /// How long events are kept: the longest a client may be away and still resume without reloading.
    public static let retentionMilliseconds: Int64 = 24 * 3_600_000

    public init(database: any Database) {
        self.database = database
    }

    /// The newest event's position a reader may pass; ``LogPosition/start`` when there has been none.
    public func latest() throws -> LogPosition {
        try database.read { c in try Self.edge(newest: true, settled: true, in: c) ?? .start }
    }

    /// Up to `limit` events after position `after`, in reading order.
    public func events(after: LogPosition, limit: Int) throws -> [TicketEvent] {
        try database.read { c in
            let later = after.later(c.dialect, id: "seq")
            return try c.query("""
                SELECT seq, \(LogPosition.transactionColumn(c.dialect)), ticket_id, kind, fid, oid FROM ticket_events
                WHERE \(later.sql)\(LogPosition.andSettled(c.dialect))
                ORDER BY \(LogPosition.order(c.dialect, id: "seq")) LIMIT ?
                """, later.parameters + [.integer(Int64(limit))]).compactMap { row in
                guard let seq = row.int64("seq"), let ticket = row.int64("ticket_id"), let kind = row.string("kind")
                else { return nil }
                return TicketEvent(seq: seq, transaction: row.int64("txid") ?? 0, ticketID: ticket, kind: kind,
                                   fid: row.string("fid"), oid: row.string("oid"))
            }
        }
    }

    /// Whether a client that saw every event up to `position` can carry on from there: the feed still holds every
    /// event after it (none purged unseen), and `position` is not ahead of the feed (an identifier from another
    /// database, or from before a restore). When it cannot, the client reloads what it shows and follows from now.
    public func canResume(from position: LogPosition) throws -> Bool {
        try database.read { c in
            guard position.transaction > 0 else {
                // An event number alone — SQLite's, PostgreSQL's from before the feed recorded transactions, or the
                // start — compared with the numbers held, as it always was.
                guard let row = try c.queryOne("SELECT min(seq) AS oldest, max(seq) AS newest FROM ticket_events"),
                      let oldest = row.int64("oldest"), let newest = row.int64("newest") else { return false }
                return position.id >= oldest - 1 && position.id <= newest
            }
            // Retention removes the oldest in reading order: a position at or after the one just before the oldest
            // held has lost nothing. One in an earlier transaction than the oldest held may have lost events written
            // between the two, so it is not resumed.
            guard let oldest = try Self.edge(newest: false, settled: false, in: c),
                  let newest = try Self.edge(newest: true, settled: true, in: c) else { return false }
            return position >= LogPosition(transaction: oldest.transaction, id: oldest.id - 1) && position <= newest
        }
    }

    /// The position of the oldest or the newest event held (of those a reader may pass, when `settled`).
    private static func edge(newest: Bool, settled: Bool, in c: any DatabaseConnection) throws -> LogPosition? {
        let settledOnly = settled ? LogPosition.andSettled(c.dialect) : ""
        return try c.queryOne("""
            SELECT seq, \(LogPosition.transactionColumn(c.dialect)) FROM ticket_events WHERE 1 = 1\(settledOnly)
            ORDER BY \(LogPosition.order(c.dialect, id: "seq", descending: newest)) LIMIT 1
            """).flatMap { row in row.int64("seq").map { LogPosition(transaction: row.int64("txid") ?? 0, id: $0) } }
    }

    /// Removes events older than ``retentionMilliseconds``.
    public static var retentionRule: RetentionRule {
        RetentionRule("ticket_events", keep: retentionMilliseconds) { before, limit, c in
            // Oldest first in reading order, as `canResume` counts on: the old rows are at the start of that order,
            // so a batch stops early.
            try c.run("""
                DELETE FROM ticket_events WHERE seq IN (
                    SELECT seq FROM ticket_events WHERE at < ?
                    ORDER BY \(LogPosition.order(c.dialect, id: "seq")) LIMIT ?)
                """, [.integer(before), .integer(Int64(limit))])
            return c.changes
        }
    }
}
