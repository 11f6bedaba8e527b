import Foundation
import Storage

/// The engine-independent part of readiness: a tiny probe write must commit, and no write may have been refused by
/// the storage recently (a probe may still fit where real writes do not).
package enum StoreReadiness {
    package static func notReadyReason(of database: any Database, settings: StoreSettings) -> String? {
        let now = String(Int64(Date().timeIntervalSince1970))
        let probe = Result { try database.write { try GatewayMeta.set("readiness_probe", to: now, in: $0) } }
        if case .failure(let error) = probe { return "the store cannot commit: \(error)" }
        return recentFailure(of: database, settings: settings)
    }

    /// The inbox log's readiness: its probe must commit, and no append may have been refused recently.
    package static func notReadyReason(of log: InboxLog, settings: StoreSettings) -> String? {
        let now = Int64(Date().timeIntervalSince1970)
        if case .failure(let error) = Result(catching: { try log.probe(now: now) }) {
            return "the store cannot commit: \(error)"
        }
        return recentFailure(of: log.database, settings: settings)
    }

    private static func recentFailure(of database: any Database, settings: StoreSettings) -> String? {
        if let failure = database.recentStorageFailure,
           failure.secondsAgo * 1000 < Double(settings.readinessFailureWindowMilliseconds) {
            return "a write failed \(Int(failure.secondsAgo)) s ago: \(failure.error)"
        }
        return nil
    }
}
