import Foundation

/// What a ``DailyJob`` runs once a day.
public protocol DailyTask: Sendable {
    /// When the work last completed (unix ms, not after `now`), from the task's own records; nil = never, or not
    /// recorded (the job then runs at its first pass). Asked once, at the job's first pass.
    func lastCompletion(notAfter now: Int64) -> Int64?
    /// One attempt at a day's work; `attempt` counts from 1 within the day's slot.
    func run(attempt: Int, now: Int64) -> DailyRunOutcome
    /// Abandons work in progress (e.g. a download) because the job is stopping; called from another thread.
    func cancel()
}

extension DailyTask {
    public func cancel() {}
}

/// How one attempt of a ``DailyTask`` ended.
public enum DailyRunOutcome: Sendable, Equatable {
    /// The day's work is done.
    case done
    /// Try the same day's slot again after this many milliseconds (0 = at the next look at the clock).
    case retry(afterMilliseconds: Int64)
    /// Stop trying until the next day's slot (the task has logged and counted why).
    case givenUp
}

/// Runs a ``DailyTask`` once per slot of a ``DailySchedule``: when the slot's time comes, and at start when the last
/// completion the task reports is older than the latest slot — a day missed while the gateway was down is made up.
/// Time comes from the injected clock, which the job looks at every `pollMilliseconds` and on ``wake()``, so tests
/// move the clock instead of waiting a day. One polling loop runs the passes; ``runIfDue()`` runs one on the
/// caller's thread.
///
/// With a ``leadership`` set, only the leading instance of a cluster makes passes; an instance that becomes leader
/// asks the task for its last completion again (the previous leader may have completed days since), so a day's
/// work is done once across the cluster.
public final class DailyJob: Service, @unchecked Sendable {
    private struct Slot {
        let start: Int64
        var attempts = 0
        var nextAttemptAt: Int64
    }

    public let schedule: DailySchedule
    private let task: any DailyTask
    private let clock: @Sendable () -> Int64
    private var loop: PollingLoop!
    /// Serializes passes (the loop and ``runIfDue()``) and guards the state below.
    private let passLock = NSLock()
    private var lastCompletedSlot: Int64?
    private var current: Slot?
    /// Guarded by `stateLock`, not `passLock`: ``stop()`` sets `stopping` while a pass may be running.
    private let stateLock = NSLock()
    private var stopping = false
    private var leadershipValue: (any Leadership)?

    /// Who may run the job in a cluster; nil (one instance) always may. Set before ``start()``.
    public var leadership: (any Leadership)? {
        get { stateLock.withLock { leadershipValue } }
        set { stateLock.withLock { leadershipValue = newValue } }
    }

    /// - Parameter name: the loop thread's name (at most 15 characters).
    public init(name: String, schedule: DailySchedule, task: any DailyTask, pollMilliseconds: Int,
                clock: @escaping @Sendable () -> Int64) {
        self.schedule = schedule
        self.task = task
        self.clock = clock
        loop = PollingLoop(name: name, pollIntervalMilliseconds: pollMilliseconds) { [unowned self] in
            runIfDue()
            return false
        }
    }

    public func start() { loop.start() }

    /// Looks at the clock now (tests call it after moving time).
    public func wake() { loop.wake() }

    /// Cancels the task's work in progress and stops the loop. Idempotent.
    public func stop() {
        stateLock.withLock { stopping = true }
        task.cancel()
        loop.stop()
    }

    /// One pass: attempts the task when a slot is due (and its retry time has come); true when it ran.
    @discardableResult
    public func runIfDue() -> Bool {
        passLock.lock()
        defer { passLock.unlock() }
        if let leadership, !leadership.isLeader {
            // A follower: forget what it knew, so that leading later starts from the task's own records.
            lastCompletedSlot = nil
            current = nil
            return false
        }
        let now = clock()
        if lastCompletedSlot == nil {
            lastCompletedSlot = task.lastCompletion(notAfter: now).map { schedule.latestSlot(atOrBefore: $0) } ?? .min
        }
        if current == nil {
            let slot = schedule.latestSlot(atOrBefore: now)
            guard slot > lastCompletedSlot ?? .min else { return false }
            current = Slot(start: slot, nextAttemptAt: now)
        }
        guard var slot = current, now >= slot.nextAttemptAt, !isStopping else { return false }
        slot.attempts += 1
        let outcome = task.run(attempt: slot.attempts, now: now)
        guard !isStopping else { return true }
        switch outcome {
        case .done, .givenUp:
            lastCompletedSlot = slot.start
            current = nil
        case .retry(let delay):
            slot.nextAttemptAt = now + delay
            current = slot
        }
        return true
    }

    private var isStopping: Bool { stateLock.withLock { stopping } }
}
