import Delivery
import Foundation
import GatewayKit
import Storage

/// One attempt of the POS pull: download the snapshot, import it all or nothing, note when it last succeeded. Each
/// attempt is counted (`gateway_pos_sync_attempts_total{outcome}`) and logged. A failed or malformed pull changes no
/// outlet: the last good data stays. Shared by the daily schedule (``POSSyncTask``) and `gateway pos sync`.
public struct POSPull: Sendable {
    /// `gateway_meta` key holding the unix ms of the last successful pull.
    static let lastSuccessKey = "pos_sync_last_success_at"

    let source: any POSSnapshotSource
    let importer: POSSnapshotImport
    let store: any GatewayStore
    let settings: POSSettings
    let metrics: MetricsRegistry?
    let log: EventLog

    public init(source: any POSSnapshotSource, importer: POSSnapshotImport, store: any GatewayStore,
                settings: POSSettings, metrics: MetricsRegistry?, log: EventLog) {
        self.source = source
        self.importer = importer
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.log = log
    }

    /// Attempt number `number` (1-based) at unix ms `now`.
    public func attempt(_ number: Int, now: Int64) -> Result<POSImportReport, POSPullFailure> {
        let result = fetchAndImport(now: now)
        switch result {
        case .success(let report):
            count("success")
            log.info("pos_sync_imported", ["attempt": String(number), "inserted": String(report.inserted),
                                           "updated": String(report.updated), "unchanged": String(report.unchanged)])
        case .failure(let failure):
            count(failure.reason)
            log.warning("pos_sync_attempt_failed", ["attempt": String(number), "reason": failure.reason,
                                                    "retryable": String(failure.retryable), "error": failure.detail])
        }
        return result
    }

    /// How long to wait before attempt `number + 1`, or nil when the pull should give up: the failure is not worth
    /// repeating or `pos.sync_max_attempts` are used. Doubles from `pos.sync_retry_delay`.
    public func retryDelay(after number: Int, _ failure: POSPullFailure) -> Int64? {
        guard failure.retryable, number < settings.syncMaxAttempts else { return nil }
        return Int64(settings.syncRetryDelayMilliseconds) << Int64(min(number - 1, 20))
    }

    /// Unix ms of the last successful pull recorded in the store, if any.
    public func lastSuccess() -> Int64? {
        try? store.read { try GatewayMeta.value(Self.lastSuccessKey, in: $0) }.flatMap { Int64($0) }
    }

    public func shutdown() {
        source.shutdown()
    }

    private func fetchAndImport(now: Int64) -> Result<POSImportReport, POSPullFailure> {
        let snapshot: POSSnapshot
        switch source.fetchSnapshot() {
        case .failure(let failure): return .failure(failure)
        case .success(let fetched): snapshot = fetched
        }
        do {
            let report = try importer.run(snapshot.bytes, format: snapshot.format, via: .pull, now: now,
                                          database: store.database)
            // Its own small write: should the process die just before it, the next start simply pulls again.
            try store.database.write { try GatewayMeta.set(Self.lastSuccessKey, to: String(now), in: $0) }
            return .success(report)
        } catch let error as POSImportError {
            let summary = error.problems.prefix(3).map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            return .failure(POSPullFailure(reason: "invalid_data", detail: "\(error.problems.count)"
                                           + "\(error.isTruncated ? "+" : "") problems: \(summary)", retryable: false))
        } catch {
            return .failure(POSPullFailure(reason: "store", detail: "\(error)", retryable: true))
        }
    }

    private func count(_ outcome: String) {
        metrics?.increment("gateway_pos_sync_attempts_total", [("outcome", outcome)],
                           help: "POS pull attempts, by outcome (success or the failure reason)")
    }
}
