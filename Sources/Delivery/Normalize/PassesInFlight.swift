import Foundation

/// The normalizer's passes recorded without waiting: while the writer records (and applies) one pass, the normalizer
/// already reads and normalizes the next, past it. At most `limit` are in flight. A pass that fails to record makes the
/// next one start over from the cursor in the database, after every pass in flight has finished: a pass read past a
/// failed one fails too (``CursorMovedError``), so nothing is skipped.
final class PassesInFlight: @unchecked Sendable {
    private let limit: Int
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    /// A pass in flight failed since the last ``startPass()``; guarded by `lock`.
    private var failed = false
    /// Passes submitted and not yet finished; guarded by `lock`.
    private var count = 0
    /// The last logged delivery of the passes submitted so far (normalizer thread only); nil = read from the cursor.
    private var readThrough: LogPosition?

    init(limit: Int) {
        self.limit = limit
        slots = DispatchSemaphore(value: limit)
    }

    /// Where the next pass reads the log from (nil: the cursor in the database). After a failure, first waits for
    /// every pass in flight.
    func startPass() -> LogPosition? {
        let hadFailure = lock.withLock {
            defer { failed = false }
            return failed
        }
        if hadFailure { restart() }
        return readThrough
    }

    /// Waits for a free slot, then counts a pass read through the logged delivery at `position` as in flight.
    func submit(through position: LogPosition) {
        slots.wait()
        lock.withLock { count += 1 }
        readThrough = position
    }

    /// Whether a pass is still being recorded (its commit, counters and hand-over not all done).
    var isBusy: Bool { lock.withLock { count > 0 } }

    /// A pass in flight has finished (its commit, or its failure).
    func finished(succeeded: Bool) {
        lock.withLock {
            if !succeeded { failed = true }
            count -= 1
        }
        slots.signal()
    }

    /// Waits until no pass is in flight and reads the next from the cursor in the database.
    func restart() {
        for _ in 0..<limit { slots.wait() }
        for _ in 0..<limit { slots.signal() }
        readThrough = nil
    }
}
