import Foundation
import Synchronization

extension PostgresCluster {
    /// One cluster for the whole test process, started by the first caller and stopped when the process exits:
    /// suites that need many databases create them on it rather than starting a server each.
    package static func shared() throws -> PostgresCluster {
        try sharedCluster.withLock { state in
            if let cluster = state.cluster { return cluster }
            if let failure = state.failure { throw PostgresClusterError(failure) }
            do {
                let cluster = try PostgresCluster()
                state.cluster = cluster
                atexit { sharedCluster.withLock { $0.cluster?.stop() } }
                return cluster
            } catch {
                state.failure = "\(error)"
                throw error
            }
        }
    }
}

/// The process's shared cluster, or why it could not start (not retried: every caller gets the same answer).
private let sharedCluster = Mutex<(cluster: PostgresCluster?, failure: String?)>((nil, nil))
