import Foundation

/// Lets ``Outbox/enqueue(_:in:now:)`` — a static call deep inside some transaction, with no dispatcher at hand — wake
/// the dispatcher of the same database at once instead of leaving the row to its next poll. Dispatchers register
/// under their database path; several gateways in one process (tests) each hear only their own file.
public enum OutboxDoorbell {
    /// The key under which ``Outbox/enqueue(_:in:now:)`` rings after a commit (once per transaction).
    static let commitActionKey = "outbox.doorbell"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var listeners: [String: [UInt64: @Sendable () -> Void]] = [:]
    nonisolated(unsafe) private static var nextToken: UInt64 = 0

    /// Registers `wake` for rows enqueued on `database`; returns the token for ``unregister(_:database:)``.
    public static func register(database: String, wake: @escaping @Sendable () -> Void) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        nextToken += 1
        listeners[database, default: [:]][nextToken] = wake
        return nextToken
    }

    public static func unregister(_ token: UInt64, database: String) {
        lock.lock()
        defer { lock.unlock() }
        listeners[database]?[token] = nil
        if listeners[database]?.isEmpty == true { listeners[database] = nil }
    }

    /// Wakes every dispatcher registered for `database` (cheap: a signal per dispatcher, nothing when none).
    public static func ring(database: String) {
        lock.lock()
        let wakes = listeners[database].map { Array($0.values) } ?? []
        lock.unlock()
        for wake in wakes { wake() }
    }
}
