/// A database as feature code sees it: units of work. Writes are transactions the engine may group with others into
/// one commit (the embedded engine's single writer does); reads run on a consistent snapshot and never wait for
/// writes. An implementation per engine: ``SQLiteDatabase`` is the embedded default.
public protocol Database: AnyObject, Sendable {
    /// What the database is (see ``DatabaseConnection/location``).
    var location: String { get }

    /// Queues `work` as one write transaction; `completion` gets its value after the transaction is durably
    /// committed, or the error that rolled `work` back (``StorageError/overloaded`` when too much is queued). Only
    /// `work`'s own changes are undone when it throws.
    func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void)

    /// Queues each of `works` as a write transaction of its own, in order and all at once (the embedded engine's
    /// writer then commits them together rather than starting on the first while the rest are being queued);
    /// `completion` gets each one's index and result.
    func write<T: Sendable>(each works: [@Sendable (any DatabaseConnection) throws -> T],
                            completion: @escaping @Sendable (Int, Result<T, any Error>) -> Void)
    /// Queues `work` like ``write(_:completion:)``, for work whose changes come from one statement (it may read before
    /// or after it): the embedded engine's writer then runs it without a savepoint of its own, since the engine undoes
    /// a failed statement by itself (a second statement's changes before a failure cost the whole group commit, so
    /// keep to one).
    func write<T: Sendable>(oneStatement work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void)
    /// Runs `work` as one write transaction and waits for the commit. Blocks the calling thread: not for request
    /// handlers, and never from inside another unit of work.
    func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T

    /// Runs `work` on a read-only snapshot.
    func read<T>(_ work: (any DatabaseConnection) throws -> T) throws -> T

    /// Write operations waiting for their transaction.
    var queuedWrites: Int { get }
    /// Whether write transactions run side by side (a server's pool of connections) rather than one after another in
    /// the order queued (the embedded engine's single writer). Work whose writes must take effect in the order it
    /// queues them runs them one at a time itself where they do.
    var writesRunSideBySide: Bool { get }
    /// How long ago (seconds) the storage itself last refused a write (full disk, I/O error), and why; nil when it
    /// has not.
    var recentStorageFailure: (secondsAgo: Double, error: String)? { get }

    /// Finishes queued writes and closes every connection.
    func close()
    /// Leaves no copy of deleted content in the engine's files once the current writes are durable (an erasure's last
    /// step; the embedded engine checkpoints and truncates its write-ahead log). Blocking.
    func purgeDeletedContent() throws
}

extension Database {
    public func write<T: Sendable>(oneStatement work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        write(work, completion: completion)
    }

    public func write<T: Sendable>(each works: [@Sendable (any DatabaseConnection) throws -> T],
                                   completion: @escaping @Sendable (Int, Result<T, any Error>) -> Void) {
        for (index, work) in works.enumerated() {
            write(work) { completion(index, $0) }
        }
    }
}
