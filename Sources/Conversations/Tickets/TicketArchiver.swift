import CRM
import Delivery
import GatewayKit
import Storage

/// Archives conversation tickets once they can no longer reopen: resolved or closed longer than
/// `tickets.reopen_window` ago (a customer's later message opens a new ticket anyway). An archived ticket is
/// read-only (``TicketGuard``) and leaves the default ticket lists (`archived=true` lists them). Each is an
/// `archived` history row by `archive`; counted in `gateway_tickets_archived_total`. Runs once a minute.
public final class TicketArchiver: Sendable, Service {
    static let batchSize = 500
    private let pass: @Sendable () -> Int
    private let loop: PollingLoop

    public init(database: any Database, reopenWindowMilliseconds: Int64, metrics: MetricsRegistry, log: EventLog,
                clock: @escaping @Sendable () -> Int64) {
        let pass: @Sendable () -> Int = {
            let now = clock()
            do {
                let archived = try database.write { c in
                    try Self.archiveDue(before: now - reopenWindowMilliseconds, now: now, in: c)
                }
                if archived > 0 {
                    metrics.increment("gateway_tickets_archived_total", by: Double(archived),
                                      help: "Conversation tickets archived once their reopen window ended")
                }
                return archived
            } catch {
                log.error("ticket_archive_failed", ["error": "\(error)"])
                return 0
            }
        }
        self.pass = pass
        loop = PollingLoop(name: "ticket-archive", pollIntervalMilliseconds: 60_000) { pass() >= Self.batchSize }
    }

    public func start() { loop.start() }
    public func stop() { loop.stop() }

    /// One batch now, on the caller's thread; how many tickets it archived.
    @discardableResult
    public func archiveOnce() -> Int { pass() }

    static func archiveDue(before cutoff: Int64, now: Int64, in c: any DatabaseConnection) throws -> Int {
        let due = try ConversationTicketTable.archivable(before: cutoff, limit: batchSize, in: c)
        for id in due {
            try ConversationTicketTable.archive(id, now: now, in: c)
            try TicketHistory.record(id, at: now, actor: "archive", action: "archived", in: c)
        }
        return due.count
    }
}
