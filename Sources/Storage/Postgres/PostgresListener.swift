import CPostgres
import Foundation

/// Hears PostgreSQL notifications (`LISTEN`): what another instance — or this one — announces with `NOTIFY` (or
/// `pg_notify`) inside a transaction reaches every listener when that transaction commits, and never when it rolls
/// back. A thread of its own waits on the session's socket; `heard` gets each notification's channel and payload.
/// A lost session is reconnected (after `retryInterval`); notifications sent meanwhile are lost, so `reconnected`
/// tells the owner to look for itself (a dispatcher polls its outbox once).
public final class PostgresListener: @unchecked Sendable {
    private let connectionString: String
    private let channels: [String]
    private let heard: @Sendable (_ channel: String, _ payload: String) -> Void
    private let reconnected: @Sendable () -> Void
    private let retryInterval: TimeInterval
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private var listening = false

    /// - Parameters:
    ///   - channels: the channel names (plain identifiers: letters, digits, `_`).
    public init(connectionString: String, channels: [String], retryInterval: TimeInterval = 1,
                heard: @escaping @Sendable (_ channel: String, _ payload: String) -> Void,
                reconnected: @escaping @Sendable () -> Void = {}) {
        precondition(channels.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber } })
        self.connectionString = connectionString
        self.channels = channels
        self.heard = heard
        self.reconnected = reconnected
        self.retryInterval = retryInterval
    }

    /// Whether the session is listening now (tests wait for it before notifying).
    public var isListening: Bool { lock.withLock { listening } }

    public func start() {
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "pg-listener"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Stops listening and closes the session (within about a second). Idempotent.
    public func stop() {
        guard lock.withLock({ defer { stopping = true }; return thread != nil && !stopping }) else { return }
        while lock.withLock({ thread != nil }) { usleep(1_000) }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        var first = true
        while !isStopping {
            if let connection = connect() {
                lock.withLock { listening = true }
                if !first { reconnected() }
                first = false
                listen(on: connection)
                lock.withLock { listening = false }
                PQfinish(connection)
            }
            if !isStopping { Thread.sleep(forTimeInterval: retryInterval) }
        }
        lock.withLock { thread = nil }
    }

    /// A session listening on every channel, or nil.
    private func connect() -> OpaquePointer? {
        guard let connection = PQconnectdb(connectionString) else { return nil }
        guard PQstatus(connection) == CONNECTION_OK else {
            PQfinish(connection)
            return nil
        }
        for channel in channels {
            let result = PQexec(connection, "LISTEN \"\(channel)\"")
            let ok = result.map(PQresultStatus) == PGRES_COMMAND_OK
            PQclear(result)
            guard ok else {
                PQfinish(connection)
                return nil
            }
        }
        return connection
    }

    /// Waits for notifications until the session fails or the listener stops.
    private func listen(on connection: OpaquePointer) {
        let socket = PQsocket(connection)
        while !isStopping {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 500)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            guard PQconsumeInput(connection) == 1 else { return }  // the session is gone
            while let notification = PQnotifies(connection) {
                let channel = String(cString: notification.pointee.relname)
                let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
                PQfreemem(notification)
                heard(channel, payload)
            }
        }
    }
}
