import Foundation
import GatewayKit
import Storage

/// One rollup pass over a batch of marked tickets: the marks as read, what each ticket last contributed (its recorded
/// fact) and contributes now, and the rollup changes between the two. Reading it is most of a pass's work (the figure
/// views, the keyword JSON, the sums); writing it is a few statements.
///
/// On the embedded engine a pass is read on a reader's snapshot, off the one writer that every inbound delivery
/// waits for, and the writer only checks that it still holds (``isCurrent(in:)``) before writing it. On PostgreSQL
/// (writes side by side) it is read and written in one transaction, as before.
struct RollupPass: Sendable {
    /// The marks read, `(ticket_id, renewal)`, in ticket order.
    let marks: [(ticketID: Int64, renewal: Int64)]
    /// The rollups' generation it was read at (``RollupGeneration``); writing it makes the next.
    let generation: Int64
    private(set) var changes: RollupChanges
    /// Each changed ticket's facts before and after (for the response-time metrics).
    private(set) var observed: [(old: TicketFact?, new: TicketFact?)] = []
    private(set) var saved: [TicketFact] = []
    private(set) var gone: [Int64] = []

    var ids: [Int64] { marks.map(\.ticketID) }

    /// Reads up to `limit` marks, oldest ticket first, and what the marked tickets contribute; nil when nothing is
    /// marked. Run it on one snapshot (inside a read transaction, or the writer's).
    static func read(limit: Int, timeZone: TimeZone, in c: any DatabaseConnection) throws -> RollupPass? {
        let marks = try readMarks(limit: limit, in: c)
        guard !marks.isEmpty else { return nil }
        let ids = marks.map(\.ticketID)
        return RollupPass(marks: marks, generation: try RollupGeneration.current(in: c),
                          recorded: try TicketFact.recorded(ids, in: c),
                          current: try TicketFact.current(ids, timeZone: timeZone, in: c), timeZone: timeZone)
    }

    private init(marks: [(ticketID: Int64, renewal: Int64)], generation: Int64, recorded: [Int64: TicketFact],
                 current: [Int64: TicketFact], timeZone: TimeZone) {
        self.marks = marks
        self.generation = generation
        changes = RollupChanges(timeZone: timeZone)
        for (id, _) in marks where recorded[id] != current[id] {
            observed.append((recorded[id], current[id]))
            if let fact = recorded[id] { changes.add(fact, sign: -1) }
            if let fact = current[id] { changes.add(fact, sign: 1); saved.append(fact) } else { gone.append(id) }
        }
    }

    /// Whether the pass, read on an earlier snapshot, still describes the store: no pass (and no rebuild) wrote the
    /// rollups since — so the recorded facts are as read and no mark it read was removed, and perhaps made again at
    /// renewal 0 by a later change — and every mark it read is at the renewal it read (a change of a marked ticket
    /// since renews its mark). Runs on the writer, inside the pass's write.
    func isCurrent(in c: any DatabaseConnection) throws -> Bool {
        guard try RollupGeneration.current(in: c) == generation else { return false }
        let ids = ids
        let list = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var renewals: [Int64: Int64] = [:]
        for row in try c.query("SELECT ticket_id, renewal FROM analytics_dirty_tickets WHERE ticket_id IN (\(list))",
                               ids.map { .integer($0) }) {
            if let id = row.int64("ticket_id") { renewals[id] = row.int64("renewal") ?? 0 }
        }
        return renewals.count == marks.count && marks.allSatisfy { renewals[$0.ticketID] == $0.renewal }
    }

    /// Writes the changed facts and the rollup changes, and removes the marks as read (one renewed since — a change
    /// committed meanwhile, on PostgreSQL — is the next pass's).
    func write(in c: any DatabaseConnection) throws {
        try RollupGeneration.advance(from: generation, in: c)
        try TicketFact.save(saved, in: c)
        try TicketFact.forget(gone, in: c)
        try changes.write(in: c)
        // The ids first, so SQLite finds each mark by its key rather than scanning every mark for the pairs.
        let keys = Array(repeating: "?", count: marks.count).joined(separator: ", ")
        let pairs = Array(repeating: "(?, ?)", count: marks.count).joined(separator: ", ")
        try c.run("""
            DELETE FROM analytics_dirty_tickets
            WHERE ticket_id IN (\(keys)) AND (ticket_id, renewal) IN (VALUES \(pairs))
            """, marks.map { .integer($0.ticketID) } + marks.flatMap { [.integer($0.ticketID), .integer($0.renewal)] })
    }

    private static func readMarks(limit: Int, in c: any DatabaseConnection) throws -> [(ticketID: Int64, renewal: Int64)] {
        try c.query("SELECT ticket_id, renewal FROM analytics_dirty_tickets ORDER BY ticket_id LIMIT ?",
                    [.integer(Int64(limit))]).compactMap { row in
            row.int64("ticket_id").map { ($0, row.int64("renewal") ?? 0) }
        }
    }
}

/// A count of the writes to the rollups (passes and rebuilds), kept in `analytics_state`: a pass read on a snapshot
/// is written only if the count is still the one it read.
enum RollupGeneration {
    static func current(in c: any DatabaseConnection) throws -> Int64 {
        try c.queryOne("SELECT value FROM analytics_state WHERE key = 'generation'")?.string("value")
            .flatMap { Int64($0) } ?? 0
    }

    static func advance(from generation: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO analytics_state (key, value) VALUES ('generation', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(String(generation + 1))])
    }
}
