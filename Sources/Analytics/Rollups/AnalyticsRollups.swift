import Foundation
import GatewayKit
import Storage

/// Keeps the rollups up to date: takes the tickets queued (a new ticket, a change of the ticket or of its CSAT),
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
        loop = PollingLoop(name: "rollups", pollIntervalMilliseconds: pollIntervalMilliseconds) {
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
        // The embedded engine's one writer also applies every inbound delivery: the pass is read on a reader's
        // snapshot, and the writer only checks it still holds before writing it (else reads it again itself).
        let early = database.writesRunSideBySide ? nil : try database.read { c in
            try c.readTransaction { try RollupPass.read(limit: Self.batchSize, timeZone: timeZone, in: c) }
        }
        if !database.writesRunSideBySide && early == nil { return 0 }
        let done = try database.write { c in
            // One pass at a time (SQLite's single writer; on PostgreSQL a lock): a pass turns the difference between
            // a ticket's recorded and current facts into rollup changes, which two passes at once would count twice.
            try c.serialize(on: ["analytics-rollups"])
            let pass: RollupPass
            if let early, try early.isCurrent(in: c) {
                pass = early
            } else {
                guard let fresh = try RollupPass.read(limit: Self.batchSize, timeZone: timeZone, in: c) else {
                    return 0
                }
                pass = fresh
            }
            let observed = pass.observed
            if !observed.isEmpty {
                c.afterCommit("analytics-times-\(pass.marks[0].ticketID)") {
                    for (before, after) in observed { observer.observe(old: before, new: after, now: now) }
                }
            }
            try pass.write(in: c)
            return pass.marks.count
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
                // A pass read before the rebuild is not written after it.
                try RollupGeneration.advance(from: try RollupGeneration.current(in: c), in: c)
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
