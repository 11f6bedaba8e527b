import Foundation
import Storage

/// The actors taking tickets now (`agent_availability`, lower case), as ``TicketAssignment`` reads them for every
/// ticket it assigns — each new customer's first message opens one. On the embedded engine its one writer makes every
/// availability change, so the set is kept between transactions and read again once a change has committed; while a
/// change is written and not yet committed nothing is kept, so an uncommitted change never outlives its transaction
/// (one that rolls back leaves the set read every time until the next change commits). On PostgreSQL other instances
/// change it too: read every time.
final class AvailableAgents: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: Set<String>?
    /// A change has been written and has not committed yet.
    private var changing = false

    /// The actors taking tickets now, as `c` sees them.
    func actors(in c: any DatabaseConnection) throws -> Set<String> {
        guard c.dialect != .postgres else { return try Self.read(in: c) }
        if let kept = lock.withLock({ changing ? nil : kept }) { return kept }
        let actors = try Self.read(in: c)
        lock.withLock { if !changing { kept = actors } }
        return actors
    }

    /// Tells it `c`'s transaction has changed `agent_availability`.
    func changed(in c: any DatabaseConnection) {
        lock.withLock { (kept, changing) = (nil, true) }
        c.afterCommit("agent-availability") { [self] in lock.withLock { (kept, changing) = (nil, false) } }
    }

    private static func read(in c: any DatabaseConnection) throws -> Set<String> {
        Set(try c.query("SELECT actor FROM agent_availability WHERE available = 1")
            .compactMap { $0.string("actor")?.lowercased() })
    }
}
