import Foundation

/// A fixed set of read-only connections to one database, lent out one caller at a time.
///
/// In WAL mode readers see the last committed state and neither block nor are blocked by the
/// ``SQLiteWriter``. The database file must already exist (open the writer and migrate first).
public final class SQLiteReaderPool: @unchecked Sendable {
    /// Number of connections.
    public let size: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var idle: [SQLiteConnection]
    private var isClosed = false

    /// Opens `size` read-only connections to `path`.
    public init(path: String, size: Int, busyTimeoutMilliseconds: Int32 = 5000) throws {
        precondition(size > 0, "reader pool size must be positive")
        self.size = size
        var connections = [SQLiteConnection]()
        for _ in 0..<size {
            // On failure the connections opened so far close when the array is released.
            connections.append(try SQLiteConnection(path: path, readOnly: true,
                                                    busyTimeoutMilliseconds: busyTimeoutMilliseconds))
        }
        idle = connections
    }

    /// Runs `body` with a connection to itself, waiting while all are lent out.
    ///
    /// Each query sees the latest commit; for several queries that must agree with each other, use
    /// ``SQLiteConnection/readTransaction(_:)`` inside `body`. Do not keep the connection after
    /// `body` returns.
    /// - Throws: ``StorageError/shuttingDown`` after ``close()``, or whatever `body` throws.
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try borrow()
        defer { giveBack(connection) }
        return try body(connection)
    }

    /// What `measure` says of each connection not lent out right now, summed (a diagnostic: a lent connection is
    /// skipped, not waited for).
    public func sumOverIdle<Amount: AdditiveArithmetic>(_ measure: (SQLiteConnection) -> Amount) -> Amount {
        condition.lock()
        defer { condition.unlock() }
        return idle.reduce(.zero) { $0 + measure($1) }
    }

    /// Closes idle connections now and lent ones when they come back; later reads throw. Idempotent.
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        isClosed = true
        for connection in idle {
            connection.close()
        }
        idle.removeAll()
        condition.broadcast()
    }

    private func borrow() throws -> SQLiteConnection {
        condition.lock()
        defer { condition.unlock() }
        while idle.isEmpty && !isClosed {
            condition.wait()
        }
        guard !isClosed else { throw StorageError.shuttingDown }
        return idle.removeLast()
    }

    private func giveBack(_ connection: SQLiteConnection) {
        // A read transaction left open would pin an old snapshot and stop WAL checkpoints, letting
        // the WAL file grow without bound.
        connection.rollbackIfOpen()
        condition.lock()
        defer { condition.unlock() }
        if isClosed {
            connection.close()
        } else {
            idle.append(connection)
            condition.signal()
        }
    }
}
