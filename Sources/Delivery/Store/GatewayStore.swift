import GatewayKit
import Storage

/// The gateway's store: a ``Database`` (what every module's repositories run their units of work on) plus the
/// engine's readiness, and the inbox log beside it. The embedded default is ``SQLiteGatewayStore``; a server engine for
/// multi-node deployments provides the same. Methods that acknowledge something to a sender complete only after the
/// data is durably committed.
public protocol GatewayStore: Sendable {
    /// Units of work on the store's database.
    var database: any Database { get }

    /// The acknowledgement's durable log of verified deliveries, on a database (and writer) of its own.
    var inboxLog: InboxLog { get }

    /// Why the store cannot take writes right now, or nil when it can: a tiny probe write must commit, no write may
    /// have been refused by the storage recently, and the disk must have room.
    func notReadyReason() -> String?

    /// Finishes queued writes and closes connections.
    func close()
}

extension GatewayStore {
    /// Runs `work` on a read-only snapshot of the store's database.
    public func read<T>(_ work: (any DatabaseConnection) throws -> T) throws -> T {
        try database.read(work)
    }
}
