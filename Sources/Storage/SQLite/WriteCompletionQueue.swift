import CThreadName
import Foundation

/// The thread that reports committed batches of a ``SQLiteWriter``: it runs their completions in order while the
/// writer already executes the next batch. Completions answer HTTP requests, count metrics and log; on the writer's
/// own thread they were a fifth of its time, time in which nothing was being written.
final class WriteCompletionQueue: @unchecked Sendable {
    private let condition = NSCondition()
    /// Batches of completions waiting, oldest first (guarded by `condition`).
    private var batches: [[@Sendable () -> Void]] = []
    private var closed = false
    private var finished = false
    /// Set once in `init` before the thread starts.
    private var thread: Thread?

    /// - Parameter name: the thread's name, at most 15 characters (the OS limit).
    init(name: String) {
        let thread = Thread { [self] in
            _ = gw_name_current_thread(name)  // not `Thread.name`: see CThreadName
            runUntilClosed()
        }
        self.thread = thread
        thread.start()
    }

    /// True on the queue's own thread (inside a completion).
    var isCurrentThread: Bool { Thread.current === thread }

    /// Queues one committed batch's completions, to run after every batch queued before.
    func enqueue(_ completions: [@Sendable () -> Void]) {
        guard !completions.isEmpty else { return }
        condition.lock()
        batches.append(completions)
        condition.signal()
        condition.unlock()
    }

    /// Runs what is queued, then ends the thread and returns once it has (at once when called from a completion).
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        guard !isCurrentThread else { return }
        while !finished {
            condition.wait()
        }
    }

    private func runUntilClosed() {
        while let next = nextBatches() {
            for batch in next {
                for completion in batch { completion() }
            }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Everything queued (waiting for some), or nil once closed with nothing left.
    private func nextBatches() -> [[@Sendable () -> Void]]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed {
            condition.wait()
        }
        guard !batches.isEmpty else { return nil }
        let taken = batches
        batches.removeAll(keepingCapacity: true)
        return taken
    }
}
