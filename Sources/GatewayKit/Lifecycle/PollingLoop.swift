import CThreadName
import Foundation

/// A background thread that runs one pass of work, then waits for ``wake()`` or the poll interval, until stopped.
/// A pass that used its whole batch runs again at once, since more work is probably waiting.
public final class PollingLoop: @unchecked Sendable {
    private let name: String
    private let pollInterval: TimeInterval
    /// One pass; returns true when it filled its batch (run again without waiting).
    private let pass: @Sendable () -> Bool
    private let condition = NSCondition()
    private var running = false
    private var wakeRequested = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)

    /// - Parameter name: the thread's name, at most 15 bytes (the OS refuses a longer one and the thread would show
    ///   up in `top -H`, `perf` and the benchmarks' thread lines under the process's name instead).
    public init(name: String, pollIntervalMilliseconds: Int, pass: @escaping @Sendable () -> Bool) {
        precondition(name.utf8.count <= 15, "thread name longer than 15 bytes: \(name)")
        self.name = name
        self.pollInterval = Double(pollIntervalMilliseconds) / 1000
        self.pass = pass
    }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running, thread == nil else { return }
        running = true
        let name = self.name
        let thread = Thread { [self] in
            _ = gw_name_current_thread(name)  // not `Thread.name`: see CThreadName
            loop()
        }
        self.thread = thread
        thread.start()
    }

    /// False once ``stop()`` was asked for a started loop; passes run by hand on a never-started loop count as active.
    public var isActive: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running || thread == nil
    }

    /// Started and not yet asked to stop.
    public var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running && thread != nil
    }

    /// Runs the next pass now rather than at the next poll.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops after the pass in hand and waits for the thread to end. Idempotent.
    public func stop() {
        condition.lock()
        let wasRunning = running && thread != nil
        running = false
        condition.signal()
        condition.unlock()
        if wasRunning { stopped.wait() }
    }

    private func loop() {
        while true {
            condition.lock()
            if !running { condition.unlock(); break }
            condition.unlock()
            if pass() { continue }
            condition.lock()
            if running && !wakeRequested {
                _ = condition.wait(until: Date(timeIntervalSinceNow: pollInterval))
            }
            wakeRequested = false
            condition.unlock()
        }
        stopped.signal()
    }
}
