import CPostgres
import CThreadName
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
    private let applicationName: String?
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private var listening = false

    /// - Parameters:
    ///   - channels: the channel names (plain identifiers: letters, digits, `_`).
    ///   - applicationName: the session's `application_name`, by which the server's `pg_stat_activity` lists it
    ///     (the same characters as a channel).
    public init(connectionString: String, channels: [String], applicationName: String? = nil,
                retryInterval: TimeInterval = 1,
                heard: @escaping @Sendable (_ channel: String, _ payload: String) -> Void,
                reconnected: @escaping @Sendable () -> Void = {}) {
        let identifier = { (name: String) in !name.isEmpty && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber } }
        precondition(channels.allSatisfy(identifier) && (applicationName.map(identifier) ?? true))
        self.connectionString = connectionString
        self.channels = channels
        self.heard = heard
        self.reconnected = reconnected
        self.retryInterval = retryInterval
        self.applicationName = applicationName
    }

    /// Whether the session is listening now (tests wait for it before notifying).
    public var isListening: Bool { lock.withLock { listening } }

    public func start() {
        let thread = Thread { [weak self] in
            _ = gw_name_current_thread("pg-listener")  // not `Thread.name`: see CThreadName
            self?.run()
        }
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
        let setName = applicationName.map { ["SET application_name TO '\($0)'"] } ?? []
        for statement in setName + channels.map({ "LISTEN \"\($0)\"" }) {
            let result = PQexec(connection, statement)
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
