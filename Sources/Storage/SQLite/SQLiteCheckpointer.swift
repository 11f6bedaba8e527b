import CThreadName
import Foundation

/// Copies committed pages from the write-ahead log into the database file on a thread of its own, so the single
/// writer does not stop to do it.
///
/// SQLite's own automatic checkpoint runs on the connection that commits: every ~1,000 pages of log the writer wrote
/// the pages back into the database file and waited for that file's fsync before it could start its next batch. Here
/// the writer's commit only tells this thread how long the log is; after ``CheckpointThresholds/beside`` new frames
/// the thread runs a `PASSIVE` checkpoint on its own connection (it never blocks the writer or the readers, and SQLite
/// lets it run while the writer appends). When the log is fully copied and no reader still needs it, the writer's
/// next transaction starts the log over from the top, as before.
///
/// The log stays bounded even when this thread cannot keep up or never catches up completely (the writer commits
/// again while it copies): at ``CheckpointThresholds/ceiling`` frames the writer checkpoints itself — copying only what
/// this thread has not copied yet — which lets the log start over.
final class SQLiteCheckpointer: @unchecked Sendable {
    /// Log frames (pages) after which this thread copies them, and at which the writer copies the rest itself.
    let thresholds: CheckpointThresholds

    private let connection: SQLiteConnection
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var requested = false
    /// How far into the log the latest copy got (frames); the log's start again once it started over.
    private var copiedUpTo: Int32 = 0
    private var stopping = false
    private var finished = false
    private var runs = 0
    private var writerRuns = 0

    /// Opens its own connection to `path` (same `synchronous` level as the writer: it decides how the checkpoint
    /// syncs) and starts the thread, named `name`.
    init(path: String, synchronous: SynchronousLevel, thresholds: CheckpointThresholds = .standard,
         name: String) throws {
        self.thresholds = thresholds
        connection = try SQLiteConnection(path: path, synchronous: synchronous)
        let thread = Thread { [self] in
            _ = gw_name_current_thread(name)  // not `Thread.name`: see CThreadName
            self.runUntilStopped()
        }
        thread.start()
    }

    /// Checkpoints run so far by this thread and by the writer itself (at the ceiling).
    var stats: (runs: Int, writerRuns: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (runs, writerRuns)
    }

    /// Ends the thread after its current checkpoint and closes its connection; waits for that. Idempotent. Call it
    /// after the writer has shut down.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Called by the writer right after each commit (outside its transaction) on its connection, which reports the
    /// log's length (``SQLiteConnection/reportWALLength()``).
    func committed(on writer: SQLiteConnection) {
        let frames = writer.walFrames
        if frames >= thresholds.ceiling {
            // Fails while this thread is copying at this moment: the next commit tries again.
            if writer.checkpointPassively() != nil {
                condition.lock()
                writerRuns += 1
                condition.unlock()
            }
            return
        }
        condition.lock()
        // Frames written since the latest copy: copying after every commit would write the same hot pages into the
        // file again and again.
        let uncopied = frames >= copiedUpTo ? frames - copiedUpTo : frames
        if uncopied >= thresholds.beside && !requested {
            requested = true
            condition.signal()
        }
        condition.unlock()
    }

    private func runUntilStopped() {
        condition.lock()
        while true {
            while !requested && !stopping { condition.wait() }
            if stopping { break }
            requested = false
            condition.unlock()
            // A failure (the writer checkpointing itself at this moment, an I/O error) leaves the pages in the log;
            // the next commit past the threshold asks again.
            let copied = connection.checkpointPassively()
            condition.lock()
            if let copied { copiedUpTo = copied }
            runs += 1
        }
        connection.close()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
