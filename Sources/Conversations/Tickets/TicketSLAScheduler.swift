import CRM
import Foundation
import GatewayKit
import Storage

/// Finds SLA clocks past their due time and records each breach once: a `ticket_sla_breaches` row (UNIQUE per ticket,
/// clock and due time, so restarts and repeated passes never record it twice), the ticket's `*_breached_at` and
/// `sla_status = 'breached'`, a `sla_breached` history row and the `ticket.sla_breached` outbox event — one
/// transaction per pass on the single writer. Counted in `gateway_ticket_sla_breaches_total{kind}` after the commit.
///
/// Runs on its own ``PollingLoop`` every `tickets.sla.check_interval`, reading the injected clock, so tests move time
/// and call ``wake()`` or ``checkOnce()`` instead of waiting.
public final class TicketSLAScheduler: @unchecked Sendable, Service {
    private let database: any Database
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private let batchSize: Int
    private var loop: PollingLoop?

    public init(database: any Database, metrics: MetricsRegistry, log: EventLog, clock: @escaping @Sendable () -> Int64,
                intervalMilliseconds: Int, batchSize: Int = 256) {
        self.database = database
        self.metrics = metrics
        self.log = log
        self.clock = clock
        self.batchSize = batchSize
        loop = PollingLoop(name: "ticket-sla", pollIntervalMilliseconds: intervalMilliseconds) { [weak self] in
            (self?.checkOnce() ?? 0) >= batchSize
        }
    }

    public func start() { loop?.start() }
    public func wake() { loop?.wake() }
    public func stop() { loop?.stop() }

    /// One pass now, on the caller's thread; returns the number of breaches recorded.
    @discardableResult
    public func checkOnce() -> Int {
        let now = clock()
        let limit = batchSize
        do {
            let counts = try database.write { c in try Self.recordDueBreaches(now: now, limit: limit, in: c) }
            for clock in TicketSLAClock.allCases {
                metrics.increment("gateway_ticket_sla_breaches_total", [("kind", clock.rawValue)],
                                  by: Double(counts[clock] ?? 0), help: "SLA breaches recorded, by clock")
            }
            let total = counts.values.reduce(0, +)
            if total > 0 { log.warning("ticket_sla_breached", ["count": String(total)]) }
            return total
        } catch {
            metrics.increment("gateway_ticket_sla_errors_total", help: "SLA scheduler passes the store refused")
            log.error("ticket_sla_check_failed", ["error": "\(error)"])
            return 0
        }
    }

    /// Records up to `limit` due breaches of each clock at `now`, inside the caller's transaction.
    public static func recordDueBreaches(now: Int64, limit: Int,
                                         in c: any DatabaseConnection) throws -> [TicketSLAClock: Int] {
        var counts: [TicketSLAClock: Int] = [:]
        for clock in TicketSLAClock.allCases {
            let pastDue = switch clock {
            case .firstResponse: try ConversationTicketTable.firstResponsePastDue(now: now, limit: limit, in: c)
            case .resolution: try ConversationTicketTable.resolutionPastDue(now: now, limit: limit, in: c)
            }
            for id in pastDue {
                guard var ticket = try ConversationTicketTable.find(id, in: c) else { continue }
                let due: Int64?
                switch clock {
                case .firstResponse:
                    due = ticket.firstResponseDueAt
                    ticket.firstResponseBreachedAt = now
                case .resolution:
                    due = ticket.resolutionDueAt
                    ticket.resolutionBreachedAt = now
                }
                guard let due else { continue }
                ticket.slaStatus = "breached"
                try ConversationTicketTable.save(ticket, now: now, in: c)
                try c.run("""
                    INSERT INTO ticket_sla_breaches (ticket_id, kind, due_at, breached_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (ticket_id, kind, due_at) DO NOTHING
                    """, [.integer(id), .text(clock.rawValue), .integer(due), .integer(now)])
                guard c.changes == 1 else { continue }  // recorded before (the ticket row now agrees)
                try TicketHistory.record(id, at: now, actor: "sla-scheduler", action: "sla_breached",
                                         to: clock.rawValue, detail: ["due_at": .string(Timestamps.rfc3339(due))],
                                         in: c)
                try TicketSLABreachEvent.enqueue(ticket, kind: clock, dueAt: due, breachedAt: now, in: c)
                counts[clock, default: 0] += 1
            }
        }
        return counts
    }
}
