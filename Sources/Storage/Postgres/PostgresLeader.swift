import CThreadName
import Foundation

/// Elects one instance among those sharing a PostgreSQL database: the holder of a session-level advisory lock
/// (`pg_try_advisory_lock(key)`) on a connection of its own leads. The server releases the lock when that session
/// ends — the instance stopped, was killed, or lost its connection — and the next instance to try takes it; the
/// holder checks its session every `checkInterval` and stops leading as soon as the check fails, so after its session
/// died under a living instance (a network split, a terminated backend) two instances lead at once for at most that
/// long — never after the instance itself died.
public final class PostgresLeader: @unchecked Sendable {
    private let connectionString: String
    private let key: Int64
    private let checkInterval: TimeInterval
    private let lock = NSLock()
    private var leading = false
    private var stopping = false
    private var thread: Thread?
    private let wakeUp = NSCondition()
    /// Used by the loop thread only.
    private var connection: PostgresConnection?

    /// - Parameters:
    ///   - key: the advisory lock's number; every instance of one cluster uses the same.
    ///   - checkInterval: how often a follower tries for the lock and a leader checks its session, seconds.
    public init(connectionString: String, key: Int64, checkInterval: TimeInterval = 2) {
        self.connectionString = connectionString
        self.key = key
        self.checkInterval = checkInterval
    }

    /// True while this instance holds the lock (as of its last check).
    public var isLeader: Bool { lock.withLock { leading } }

    /// Tries for the lock now, then every `checkInterval` on a thread of its own.
    public func start() {
        round()
        let thread = Thread { [weak self] in
            _ = gw_name_current_thread("pg-leader")  // not `Thread.name`: see CThreadName
            self?.loop()
        }
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Gives the lock up (another instance takes it at its next try) and closes the session. Idempotent.
    public func stop() {
        let running = lock.withLock {
            defer { stopping = true }
            return thread != nil && !stopping
        }
        guard running else { return }
        wakeUp.withLock { wakeUp.broadcast() }
        while lock.withLock({ thread != nil }) { usleep(1_000) }
    }

    private func loop() {
        while !lock.withLock({ stopping }) {
            wakeUp.withLock { _ = wakeUp.wait(until: Date(timeIntervalSinceNow: checkInterval)) }
            guard !lock.withLock({ stopping }) else { break }
            round()
        }
        if isLeader { _ = try? connection?.queryOne("SELECT pg_advisory_unlock(?) AS released", [.integer(key)]) }
        connection = nil
        lock.withLock {
            leading = false
            thread = nil
        }
    }

    /// One check: a follower tries for the lock, a leader proves its session still holds it.
    private func round() {
        do {
            let connection = try self.connection ?? PostgresConnection(connectionString)
            self.connection = connection
            let held: Bool
            if isLeader {
                held = try connection.queryOne("""
                    SELECT count(*) AS held FROM pg_locks
                    WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                      AND ((classid::bigint << 32) | objid::bigint) = ?
                    """, [.integer(key)])?.int64("held") == 1
            } else {
                held = try connection.queryOne("SELECT pg_try_advisory_lock(?) AS held", [.integer(key)])?
                    .int64("held") == 1
            }
            lock.withLock { leading = held }
        } catch {
            // The session is gone (and with it any lock it held): follow, and connect afresh next time.
            connection = nil
            lock.withLock { leading = false }
        }
    }
}
