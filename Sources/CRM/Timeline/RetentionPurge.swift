import Delivery
import Storage

/// `gateway purge`: deletes what outlived its retention — timeline entries older than one year (their deals and
/// tickets stay) and REST idempotency keys older than a day — in short batches, so a running gateway's writes
/// interleave with it.
public enum RetentionPurge {
    public struct Report: Sendable, Equatable {
        public var timelineEntries = 0
        public var idempotencyKeys = 0
    }

    public static func run(store: any GatewayStore, now: Int64, batchSize: Int = 1_000) throws -> Report {
        var report = Report()
        report.timelineEntries = try drain(store, batchSize) {
            try TimelineTable.purge(before: now - TimelineTable.retentionMilliseconds, limit: batchSize, in: $0)
        }
        report.idempotencyKeys = try drain(store, batchSize) {
            try IdempotencyKeyLedger.purge(before: now - IdempotencyKeyLedger.retentionMilliseconds, limit: batchSize,
                                           in: $0)
        }
        return report
    }

    /// Runs `batch` (one writer transaction each) until it deletes less than a full batch; returns the total.
    private static func drain(_ store: any GatewayStore, _ batchSize: Int,
                              _ batch: @escaping @Sendable (any DatabaseConnection) throws -> Int) throws -> Int {
        var total = 0
        while true {
            let deleted = try store.database.write(batch)
            total += deleted
            if deleted < batchSize { return total }
        }
    }
}
