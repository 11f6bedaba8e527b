import CThreadName
import Foundation

/// The single writer of a database: a dedicated thread that owns a read-write connection and
/// commits submitted operations in groups.
///
/// Whatever is queued when the thread becomes free (up to `maxBatch` operations) runs in one
/// `BEGIN IMMEDIATE` ... `COMMIT`, each operation inside its own savepoint. One fsync then covers
/// the whole group, so throughput grows with load while an operation submitted to an idle writer
/// still commits at once. An operation that throws is rolled back alone and gets `.failure`; the
/// others still commit.
///
/// Durability: a completion gets `.success` only after `COMMIT` returned `SQLITE_OK`. If `BEGIN` or
/// `COMMIT` fails, every operation of that transaction gets `.failure`. If SQLite rolls back the
/// whole transaction by itself mid-batch (possible after SQLITE_FULL or IOERR), the operations that
/// had already succeeded in it get ``StorageError/batchRolledBack`` and the rest run in a new one.
///
/// Completions run on the writer's completion thread, in submission order, after the commit, while
/// the writer thread already runs the next batch. Keep them short (hand longer work to another
/// queue): later completions wait for them. Actions registered with
/// ``SQLiteConnection/afterCommit(_:_:)`` run on the writer thread right after the commit, before
/// the batch's completions.
///
/// Call ``shutdown()`` before dropping the writer; the thread keeps it alive until then.
public final class SQLiteWriter: @unchecked Sendable {
    /// Most operations committed in one transaction.
    public let maxBatch: Int
    /// Most operations waiting (not counting the batch being committed) before ``submit(_:completion:)``
    /// answers ``StorageError/overloaded``.
    public let queueCapacity: Int

    /// Used only by the writer thread once it has started.
    private let connection: SQLiteConnection
    /// Set once in `init` before the thread starts; identifies calls made from inside operations.
    private var thread: Thread?
    /// Runs completions of committed batches.
    private let completions: WriteCompletionQueue
    /// Copies the write-ahead log into the database file beside this thread; nil: SQLite's automatic checkpoint
    /// runs on this thread after its commits.
    private let checkpointer: SQLiteCheckpointer?

    // State below is guarded by `condition`.
    private let condition = NSCondition()
    /// Waiting jobs are `pending[pendingStart...]`; the consumed prefix is dropped in bulk now and
    /// then, so taking a batch does not shift the whole array each time.
    private var pending = [WriteJob]()
    private var pendingStart = 0
    private var acceptingWork = true
    private var writerIsIdle = false
    private var finished = false
    private var batchCount = 0
    private var operationCount = 0
    /// The newest operation or commit the storage itself refused (full disk, I/O error, read-only file): monotonic
    /// time in nanoseconds and the error. Guarded by `condition`.
    private var lastStorageFailure: (uptimeNanoseconds: UInt64, error: String)?

    /// Starts the writer thread. The writer takes ownership of `connection` (read-write, already
    /// migrated): nothing else may use it afterwards, and ``shutdown()`` closes it.
    /// - Parameter name: the writer thread's name (`top -H`, benchmarks' CPU by thread); its completion thread is
    ///   named after it, `-complete` for `-writer` (`sqlite-complete`, `inbox-complete`).
    public convenience init(connection: SQLiteConnection, maxBatch: Int = 512, queueCapacity: Int = 50_000,
                            name: String = "sqlite-writer") {
        self.init(connection: connection, maxBatch: maxBatch, queueCapacity: queueCapacity, name: name,
                  checkpointer: nil)
    }

    /// As the public initializer; with a `checkpointer` this writer's commits no longer checkpoint themselves but
    /// tell it how long the log is.
    init(connection: SQLiteConnection, maxBatch: Int, queueCapacity: Int, name: String,
         checkpointer: SQLiteCheckpointer?) {
        precondition(maxBatch > 0, "maxBatch must be positive")
        precondition(queueCapacity > 0, "queueCapacity must be positive")
        self.connection = connection
        self.checkpointer = checkpointer
        if checkpointer != nil { connection.reportWALLength() }
        self.maxBatch = maxBatch
        self.queueCapacity = queueCapacity
        completions = WriteCompletionQueue(name: name.replacingOccurrences(of: "-writer", with: "-complete"))
        let thread = Thread { [self] in
            _ = gw_name_current_thread(name)  // not `Thread.name`: see CThreadName
            self.runUntilShutdown()
        }
        self.thread = thread
        thread.start()
    }

    /// Queues `operation` to run on the writer's connection inside the next batch transaction.
    ///
    /// `completion` receives the operation's value after its batch committed, or its error.
    /// When the queue is full or the writer is shut down, `completion` is called immediately on the
    /// calling thread with ``StorageError/overloaded`` or ``StorageError/shuttingDown``.
    public func submit<T: Sendable>(_ operation: @escaping @Sendable (SQLiteConnection) throws -> T,
                                    completion: @escaping @Sendable (Result<T, Error>) -> Void) {
        submit([WriteJob(operation: operation, completion: completion)])
    }

    /// Queues an operation whose changes come from one statement (it may read before or after it), as
    /// ``submit(_:completion:)`` but without the savepoint every other operation runs in: SQLite undoes a failed
    /// statement by itself, so a failing operation still leaves nothing behind, and the savepoint's own statements and
    /// the page copies it keeps are saved (the inbox log's append is one such statement per webhook). Should one change
    /// with a second statement and then fail, the writer cannot undo it alone: it rolls the whole transaction back, the
    /// operations committed with it fail with ``StorageError/batchRolledBack``, the rest run in a new one.
    public func submit<T: Sendable>(oneStatement operation: @escaping @Sendable (SQLiteConnection) throws -> T,
                                    completion: @escaping @Sendable (Result<T, Error>) -> Void) {
        submit([WriteJob(operation: operation, needsSavepoint: false, completion: completion)])
    }

    /// Queues `operations` in order, all under one lock, so the writer never wakes up to commit the first few alone
    /// while the rest are still being queued (each is still an operation of its own); `completion` gets each one's
    /// index and result, as ``submit(_:completion:)``.
    public func submit<T: Sendable>(each operations: [@Sendable (SQLiteConnection) throws -> T],
                                    completion: @escaping @Sendable (Int, Result<T, Error>) -> Void) {
        submit(operations.enumerated().map { index, operation in
            WriteJob(operation: operation, completion: { completion(index, $0) })
        })
    }

    private func submit(_ jobs: [WriteJob]) {
        condition.lock()
        guard acceptingWork else {
            condition.unlock()
            jobs.forEach { $0.fail(StorageError.shuttingDown) }
            return
        }
        guard pending.count - pendingStart + jobs.count <= queueCapacity else {
            condition.unlock()
            jobs.forEach { $0.fail(StorageError.overloaded) }
            return
        }
        pending.append(contentsOf: jobs)
        // Broadcast rather than signal: shutdown() waits on the same condition and must not
        // swallow the wake-up meant for the writer thread.
        if writerIsIdle { condition.broadcast() }
        condition.unlock()
    }

    /// Submits `operation` and blocks until its batch has committed; returns its value or throws.
    ///
    /// Blocks a thread: do not call from an operation or a completion (throws
    /// ``StorageError/calledFromWriterThread``) or from code that must not block.
    public func perform<T: Sendable>(_ operation: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        guard !isOwnThread else { throw StorageError.calledFromWriterThread }
        let result = BlockingResult<Result<T, Error>>()
        submit(operation) { result.fill($0) }
        return try result.wait().get()
    }

    /// Operations waiting to be picked up (not counting the batch being committed).
    public var queueDepth: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count - pendingStart
    }

    /// Batches (transactions attempted) and operations processed so far.
    public var stats: (batches: Int, operations: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (batchCount, operationCount)
    }

    /// How long ago (seconds) an operation or commit last failed because of the storage itself (a full disk, an I/O
    /// error, a read-only file), and the error; nil when none has. Readiness reads it: a tiny probe may still fit
    /// where real writes do not.
    public var recentStorageFailure: (secondsAgo: Double, error: String)? {
        condition.lock()
        defer { condition.unlock() }
        return lastStorageFailure.map {
            (Double(DispatchTime.now().uptimeNanoseconds &- $0.uptimeNanoseconds) / 1e9, $0.error)
        }
    }

    /// Stops accepting work, lets the thread commit everything already queued, closes the
    /// connection and waits for the thread to end. Idempotent.
    ///
    /// Called from an operation or a completion it only stops accepting work and returns; the
    /// threads finish the queue after the current batch.
    public func shutdown() {
        condition.lock()
        defer { condition.unlock() }
        acceptingWork = false
        condition.broadcast()
        guard !isOwnThread else { return }
        while !finished {
            condition.wait()
        }
    }

    /// True inside an operation or a completion, where waiting for the writer would deadlock.
    private var isOwnThread: Bool {
        Thread.current === thread || completions.isCurrentThread
    }

    // MARK: - Writer thread

    private func runUntilShutdown() {
        while let batch = nextBatch() {
            let outcomes = commit(batch)
            condition.lock()
            batchCount += 1
            operationCount += batch.count
            condition.unlock()
            completions.enqueue(zip(batch, outcomes).map { job, outcome in
                switch outcome {
                case .succeeded(let report): return report
                case .failed(let error): return { job.fail(error) }
                }
            })
        }
        connection.close()
        completions.close()  // every completion has run before shutdown() returns
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for work and takes up to `maxBatch` jobs; nil once shut down with nothing left.
    private func nextBatch() -> [WriteJob]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.count == pendingStart && acceptingWork {
            writerIsIdle = true
            condition.wait()
            writerIsIdle = false
        }
        guard pending.count > pendingStart else { return nil }

        let end = min(pending.count, pendingStart + maxBatch)
        let batch = Array(pending[pendingStart..<end])
        pendingStart = end
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart >= 4 * maxBatch && pendingStart * 2 >= pending.count {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return batch
    }

    /// Runs `batch` in as few transactions as possible (normally one) and returns each job's outcome.
    private func commit(_ batch: [WriteJob]) -> [WriteJobOutcome] {
        var outcomes = [WriteJobOutcome]()
        outcomes.reserveCapacity(batch.count)
        while outcomes.count < batch.count {
            let transactionStart = outcomes.count
            do {
                try connection.run("BEGIN IMMEDIATE")
            } catch {
                outcomes.append(contentsOf: batch[transactionStart...].map { _ in .failed(error) })
                break
            }

            var transactionLost = false
            for job in batch[transactionStart...] {
                let changesBefore = job.needsSavepoint ? 0 : connection.totalChanges
                do {
                    let report = job.needsSavepoint ? try connection.savepoint { try job.execute(connection) }
                                                    : try job.execute(connection)
                    outcomes.append(.succeeded(report: report))
                } catch {
                    outcomes.append(.failed(error))
                    // A failed operation without a savepoint whose earlier statement changed rows: only undoing the
                    // whole transaction takes those changes back.
                    if !job.needsSavepoint && connection.totalChanges != changesBefore { connection.rollbackIfOpen() }
                }
                if !connection.isInTransaction {
                    transactionLost = true
                    break
                }
            }

            if transactionLost {
                // SQLite rolled back everything of this transaction; the rest get a fresh one.
                connection.discardCommitActions()
                markSucceeded(in: &outcomes, from: transactionStart, as: StorageError.batchRolledBack)
                continue
            }
            do {
                try connection.run("COMMIT")
                checkpointer?.committed(on: connection)
                connection.runCommitActions()
            } catch {
                connection.rollbackIfOpen()
                // Operations that failed on their own keep their own (more precise) error.
                markSucceeded(in: &outcomes, from: transactionStart, as: error)
            }
        }
        noteStorageFailure(in: outcomes)
        return outcomes
    }

    private func noteStorageFailure(in outcomes: [WriteJobOutcome]) {
        for outcome in outcomes {
            guard case .failed(let error) = outcome, let sqlite = error as? SQLiteError, sqlite.isStorageFailure else {
                continue
            }
            condition.lock()
            lastStorageFailure = (DispatchTime.now().uptimeNanoseconds, "\(sqlite)")
            condition.unlock()
            return
        }
    }

    private func markSucceeded(in outcomes: inout [WriteJobOutcome], from start: Int, as error: Error) {
        for index in start..<outcomes.count where outcomes[index].succeeded {
            outcomes[index] = .failed(error)
        }
    }
}
