import Dispatch
import Foundation

/// A PostgreSQL database as feature code sees it: a pool of connections, each unit of work on one of them in its
/// own transaction. Unlike the embedded engine's single writer, writes run side by side; one that fails with a
/// serialization failure or deadlock is run again from the start, up to `maxAttempts` times.
public final class PostgresDatabase: Database, @unchecked Sendable {
    public let location: String
    private let connectionString: String
    private let maxAttempts: Int
    private let lock = NSLock()
    private let available: DispatchSemaphore
    private var idle: [PostgresConnection]
    private var closed = false
    private var waitingWrites = 0
    private var lastStorageFailure: (at: Date, error: String)?
    private let completions = DispatchQueue(label: "postgres-writes", attributes: .concurrent)

    /// - Parameters:
    ///   - connectionString: a libpq connection string or URL; kept for reconnecting, never logged or shown.
    ///   - poolSize: connections at most (each unit of work holds one).
    public init(_ connectionString: String, poolSize: Int = 8, maxAttempts: Int = 5) throws {
        precondition(poolSize > 0 && maxAttempts > 0)
        let first = try PostgresConnection(connectionString)
        self.connectionString = connectionString
        self.maxAttempts = maxAttempts
        location = first.location
        idle = [first]
        for _ in 1..<poolSize { idle.append(try PostgresConnection(connectionString)) }
        available = DispatchSemaphore(value: poolSize)
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try withConnection(countedAsWaiting: true) { connection in
                    try connection.transaction { try work(connection) }
                }
            } catch let error as PostgresError where error.isBusy && attempt < maxAttempts {
                attempt += 1
                usleep(UInt32.random(in: 1_000...(10_000 * UInt32(attempt))))
            } catch let error as PostgresError where error.isStorageFailure {
                lock.withLock { lastStorageFailure = (Date(), error.message) }
                throw error
            }
        }
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        completions.async { [self] in
            completion(Result { try write(work) })
        }
    }

    public func read<T>(_ work: (any DatabaseConnection) throws -> T) throws -> T {
        try withConnection { connection in try connection.readTransaction { try work(connection) } }
    }

    public var queuedWrites: Int { lock.withLock { waitingWrites } }

    public var writesRunSideBySide: Bool { true }

    public var recentStorageFailure: (secondsAgo: Double, error: String)? {
        lock.withLock { lastStorageFailure.map { (Date().timeIntervalSince($0.at), $0.error) } }
    }

    public func close() {
        lock.withLock {
            closed = true
            idle.removeAll()
        }
    }

    /// Why the server does not answer a trivial query within `timeoutMilliseconds` (unreachable, refusing
    /// connections, every pooled connection stuck), or nil when it does. Never waits longer than the timeout: a
    /// probe still waiting then finishes in the background.
    public func unreachableReason(timeoutMilliseconds: Int) -> String? {
        let answer = ProbeAnswer()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { [self] in
            let result = Result {
                try read { connection in
                    try connection.execute("SET LOCAL statement_timeout = \(timeoutMilliseconds)")
                    _ = try connection.queryOne("SELECT 1")
                }
            }
            if case .failure(let error) = result { answer.set("\(error)") }
            done.signal()
        }
        guard done.wait(timeout: .now() + .milliseconds(timeoutMilliseconds)) == .success else {
            return "no answer within \(timeoutMilliseconds) ms"
        }
        return answer.value
    }

    /// PostgreSQL reuses the space of deleted rows and keeps no copy of them outside its own files and write-ahead
    /// log, which the server's retention and backups govern: nothing to do from here.
    public func purgeDeletedContent() throws {}

    /// Runs `body` on a connection of the pool outside any transaction, for work that spans transactions on one
    /// session (migrations under a session advisory lock).
    public func session<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection(body)
    }

    /// Runs `body` on a connection of the pool, waiting for one; a broken connection is replaced afterwards.
    /// `countedAsWaiting`: a write, counted in ``queuedWrites`` until it has its connection.
    private func withConnection<T>(countedAsWaiting: Bool = false, _ body: (PostgresConnection) throws -> T) throws
        -> T {
        if countedAsWaiting { lock.withLock { waitingWrites += 1 } }
        available.wait()
        if countedAsWaiting { lock.withLock { waitingWrites -= 1 } }
        defer { available.signal() }
        let taken: PostgresConnection? = lock.withLock { closed ? nil : idle.popLast() }
        guard !lock.withLock({ closed }) else { throw PostgresError(sqlState: "08003", message: "the pool is closed") }
        let connection = try taken ?? PostgresConnection(connectionString)
        defer {
            let keep = connection.isHealthy && !connection.isInTransaction
            lock.withLock { if keep && !closed { idle.append(connection) } }
        }
        return try body(connection)
    }
}

/// What a readiness probe found, written by the probe's thread and read by the waiting one.
private final class ProbeAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: String?

    func set(_ failure: String) { lock.withLock { self.failure = failure } }
    var value: String? { lock.withLock { failure } }
}
