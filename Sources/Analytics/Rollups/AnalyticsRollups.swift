import Foundation
import GatewayKit
import Storage

/// Keeps the rollups up to date: takes the tickets the triggers queued (a change of the ticket or of its CSAT),
/// takes back what each last contributed and adds what it contributes now, in one transaction per batch with the
/// queue rows it drained — a crash in between leaves the queue as it was. Runs every few seconds, and every query
/// first drains what is left (``catchUp()``), so the figures include every change committed before the request.
public final class AnalyticsRollups: Sendable, Service {
    static let batchSize = 500
    private let database: any Database
    private let timeZone: TimeZone
    private let log: EventLog
    private let metrics: MetricsRegistry
    private let loop: PollingLoop

    private let clock: @Sendable () -> Int64

    public init(database: any Database, settings: AnalyticsSettings, metrics: MetricsRegistry, log: EventLog,
                clock: @escaping @Sendable () -> Int64, pollIntervalMilliseconds: Int = 5_000) {
        self.clock = clock
        self.database = database
        timeZone = TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "UTC")!
        self.log = log
        self.metrics = metrics
        let zone = timeZone
        loop = PollingLoop(name: "analytics-rollups", pollIntervalMilliseconds: pollIntervalMilliseconds) {
            do {
                return try Self.batch(database, timeZone: zone, metrics: metrics, now: clock()) >= Self.batchSize
            } catch {
                log.error("analytics_rollup_failed", ["error": "\(error)"])
                return false
            }
        }
    }

    public func start() {
        do { try rebuildIfTheTimeZoneChanged() } catch { log.error("analytics_rebuild_failed", ["error": "\(error)"]) }
        loop.start()
    }

    public func stop() { loop.stop() }

    /// Drains the queue on the caller's thread; the number of tickets brought up to date.
    @discardableResult
    public func catchUp() throws -> Int {
        var total = 0
        while true {
            let done = try Self.batch(database, timeZone: timeZone, metrics: metrics, now: clock())
            total += done
            if done < Self.batchSize { return total }
        }
    }

    private static func batch(_ database: any Database, timeZone: TimeZone, metrics: MetricsRegistry,
                              now: Int64) throws -> Int {
        let observer = ResponseTimeMetrics(metrics: metrics)
        let done = try database.write { c in
            // One pass at a time (SQLite's single writer; on PostgreSQL a lock): a pass turns the difference between
            // a ticket's recorded and current facts into rollup changes, which two passes at once would count twice.
            try c.serialize(on: ["analytics-rollups"])
            let marks = try c.query("""
                SELECT ticket_id, renewal FROM analytics_dirty_tickets ORDER BY ticket_id LIMIT ?
                """, [.integer(Int64(Self.batchSize))])
            let ids = marks.compactMap { $0.int64("ticket_id") }
            guard !ids.isEmpty else { return 0 }
            let old = try TicketFact.recorded(ids, in: c)
            let new = try TicketFact.current(ids, timeZone: timeZone, in: c)
            var changes = RollupChanges(timeZone: timeZone)
            var observed: [(old: TicketFact?, new: TicketFact?)] = []
            var saved: [TicketFact] = []
            var gone: [Int64] = []
            for id in ids where old[id] != new[id] {
                observed.append((old[id], new[id]))
                if let fact = old[id] { changes.add(fact, sign: -1) }
                if let fact = new[id] { changes.add(fact, sign: 1); saved.append(fact) } else { gone.append(id) }
            }
            if !observed.isEmpty {
                c.afterCommit("analytics-times-\(ids[0])") { [observed] in
                    for (before, after) in observed { observer.observe(old: before, new: after, now: now) }
                }
            }
            try TicketFact.save(saved, in: c)
            try TicketFact.forget(gone, in: c)
            try changes.write(in: c)
            // Only the marks as read: one renewed since (a change committed meanwhile) is the next pass's. The ids
            // first, so SQLite finds each mark by its key rather than scanning every mark for the pairs.
            let keys = Array(repeating: "?", count: marks.count).joined(separator: ", ")
            let pairs = Array(repeating: "(?, ?)", count: marks.count).joined(separator: ", ")
            try c.run("""
                DELETE FROM analytics_dirty_tickets
                WHERE ticket_id IN (\(keys)) AND (ticket_id, renewal) IN (VALUES \(pairs))
                """, marks.map { $0["ticket_id"] } + marks.flatMap { [$0["ticket_id"], $0["renewal"]] })
            return ids.count
        }
        if done > 0 {
            metrics.increment("gateway_analytics_tickets_rolled_up_total", by: Double(done),
                              help: "Ticket changes applied to the analytics rollups")
        }
        return done
    }

    /// Days are counted in the configured zone: when it changed since the rollups were built, they are rebuilt from
    /// every ticket (queued again; the loop drains them).
    func rebuildIfTheTimeZoneChanged() throws {
        let zone = timeZone.identifier
        let rebuilt = try database.write { c -> Bool in
            try c.serialize(on: ["analytics-rollups"])
            let stored = try c.queryOne("SELECT value FROM analytics_state WHERE key = 'time_zone'")?.string("value")
            guard stored != zone else { return false }
            if stored != nil {
                for table in ["analytics_ticket_facts", "analytics_ticket_days", "analytics_response_times",
                              "analytics_backlog_changes"] {
                    try c.run("DELETE FROM \(table)")
                }
                try c.run("""
                    INSERT INTO analytics_dirty_tickets (ticket_id) SELECT ticket_id FROM ticket_figures WHERE TRUE
                    ON CONFLICT DO NOTHING
                    """)
            }
            try c.run("""
                INSERT INTO analytics_state (key, value) VALUES ('time_zone', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(zone)])
            return stored != nil
        }
        if rebuilt { log.info("analytics_rebuilding", ["time_zone": zone]) }
    }
}
