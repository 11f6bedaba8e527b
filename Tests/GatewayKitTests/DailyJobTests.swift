import Foundation
import GatewayKit
import XCTest

final class DailyJobTests: XCTestCase {
    /// 2026-03-01T00:00:00Z.
    private static let day0: Int64 = 1_772_323_200_000
    private static let hour: Int64 = 3_600_000
    private static let day = 24 * hour

    private final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var millis: Int64
        init(_ millis: Int64) { self.millis = millis }
        var now: Int64 { lock.withLock { millis } }
        func advance(_ by: Int64) { lock.withLock { millis += by } }
    }

    /// Answers attempts from a script (then `.done`) and remembers them.
    private final class ScriptedTask: DailyTask, @unchecked Sendable {
        private let lock = NSLock()
        private var script: [DailyRunOutcome]
        private var recorded: [(attempt: Int, at: Int64)] = []
        private var wasCancelled = false
        /// Read under the lock the job's thread writes them with.
        var attempts: [(attempt: Int, at: Int64)] { lock.withLock { recorded } }
        var cancelled: Bool { lock.withLock { wasCancelled } }
        let lastCompleted: Int64?
        init(lastCompleted: Int64? = nil, script: [DailyRunOutcome] = []) {
            self.lastCompleted = lastCompleted
            self.script = script
        }
        func lastCompletion(notAfter now: Int64) -> Int64? { lastCompleted }
        func run(attempt: Int, now: Int64) -> DailyRunOutcome {
            lock.withLock {
                recorded.append((attempt, now))
                return script.isEmpty ? .done : script.removeFirst()
            }
        }
        func cancel() { lock.withLock { wasCancelled = true } }
    }

    /// A job at 03:00 UTC whose loop never looks at the clock by itself (the test drives ``DailyJob/runIfDue()``).
    private func job(_ task: ScriptedTask, _ clock: Clock) -> DailyJob {
        DailyJob(name: "test-job", schedule: DailySchedule(minuteOfDay: 180, timeZone: "UTC"), task: task,
                 pollMilliseconds: 3_600_000, clock: { clock.now })
    }

    func testRunsAtStartWhenNeverRunThenOncePerDayAtItsTime() {
        let clock = Clock(Self.day0 + 10 * Self.hour)
        let task = ScriptedTask()
        let job = job(task, clock)
        XCTAssertTrue(job.runIfDue(), "never run: the day's 03:00 has passed, so it runs at start")
        XCTAssertFalse(job.runIfDue())
        clock.advance(17 * Self.hour - 1)  // 02:59:59.999 the next day
        XCTAssertFalse(job.runIfDue())
        clock.advance(1)
        XCTAssertTrue(job.runIfDue())
        XCTAssertEqual(task.attempts.map(\.attempt), [1, 1])
    }

    func testADayAlreadyCompletedIsNotRunAgainAtStartButAMissedOneIs() {
        let clock = Clock(Self.day0 + 10 * Self.hour)
        let done = ScriptedTask(lastCompleted: Self.day0 + 3 * Self.hour)
        XCTAssertFalse(job(done, clock).runIfDue(), "today's run is recorded")
        let missed = ScriptedTask(lastCompleted: Self.day0 - Self.day + 3 * Self.hour)
        XCTAssertTrue(job(missed, clock).runIfDue(), "yesterday's was the last: today's is made up at start")
    }

    func testRetriesAfterTheDelayTheTaskGivesAndGivesUpUntilTheNextDay() {
        let clock = Clock(Self.day0 + 3 * Self.hour)
        let task = ScriptedTask(lastCompleted: Self.day0 - Self.day + 3 * Self.hour,
                                script: [.retry(afterMilliseconds: 60_000), .retry(afterMilliseconds: 60_000), .givenUp])
        let job = job(task, clock)
        XCTAssertTrue(job.runIfDue())
        clock.advance(59_999)
        XCTAssertFalse(job.runIfDue(), "not before the retry delay")
        clock.advance(1)
        XCTAssertTrue(job.runIfDue())
        clock.advance(60_000)
        XCTAssertTrue(job.runIfDue())
        clock.advance(Self.day - 120_001)
        XCTAssertFalse(job.runIfDue(), "given up until the next day's slot")
        clock.advance(1)
        XCTAssertTrue(job.runIfDue())
        XCTAssertEqual(task.attempts.map(\.attempt), [1, 2, 3, 1])
    }

    func testStopCancelsTheTaskAndAStartedJobRunsADueSlotByItself() {
        let clock = Clock(Self.day0 + 10 * Self.hour)
        let task = ScriptedTask()
        let job = DailyJob(name: "test-job", schedule: DailySchedule(minuteOfDay: 180, timeZone: "UTC"), task: task,
                           pollMilliseconds: 10, clock: { clock.now })
        job.start()
        let deadline = Date().addingTimeInterval(5)
        while task.attempts.isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        job.stop()
        XCTAssertEqual(task.attempts.count, 1)
        XCTAssertTrue(task.cancelled)
    }

    /// A flag the test sets: who leads.
    private final class Lead: Leadership, @unchecked Sendable {
        private let lock = NSLock()
        private var leading: Bool
        init(_ leading: Bool) { self.leading = leading }
        var isLeader: Bool {
            get { lock.withLock { leading } }
            set { lock.withLock { leading = newValue } }
        }
    }

    /// A day's work whose completions are kept where every instance reads them (as the modules keep theirs in the
    /// shared database).
    private final class SharedRecordTask: DailyTask, @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [(instance: String, at: Int64)] = []
        let instance: String
        let shared: SharedRecordTask?
        init(instance: String, sharing shared: SharedRecordTask? = nil) {
            self.instance = instance
            self.shared = shared
        }
        private var store: SharedRecordTask { shared ?? self }
        var allRuns: [(instance: String, at: Int64)] { store.lock.withLock { store.runs } }
        func lastCompletion(notAfter now: Int64) -> Int64? { allRuns.map(\.at).filter { $0 <= now }.max() }
        func run(attempt: Int, now: Int64) -> DailyRunOutcome {
            store.lock.withLock { store.runs.append((instance, now)) }
            return .done
        }
    }

    func testInAClusterOnlyTheLeaderRunsAndATakeoverDoesNotRepeatTheDay() {
        let clock = Clock(Self.day0 + 4 * Self.hour)
        let first = SharedRecordTask(instance: "a")
        let second = SharedRecordTask(instance: "b", sharing: first)
        let (leadA, leadB) = (Lead(true), Lead(false))
        let a = DailyJob(name: "a", schedule: DailySchedule(minuteOfDay: 180, timeZone: "UTC"), task: first,
                         pollMilliseconds: 3_600_000, clock: { clock.now })
        let b = DailyJob(name: "b", schedule: DailySchedule(minuteOfDay: 180, timeZone: "UTC"), task: second,
                         pollMilliseconds: 3_600_000, clock: { clock.now })
        a.leadership = leadA
        b.leadership = leadB
        XCTAssertFalse(b.runIfDue(), "a follower does not run")
        XCTAssertTrue(a.runIfDue())
        XCTAssertFalse(b.runIfDue())

        // The leader dies; the other instance takes over the same day and finds the day done.
        leadA.isLeader = false
        leadB.isLeader = true
        clock.advance(Self.hour)
        XCTAssertFalse(b.runIfDue(), "the day the previous leader completed is not run again")
        clock.advance(Self.day)
        XCTAssertTrue(b.runIfDue())
        XCTAssertFalse(a.runIfDue(), "the old leader, back as a follower, does not run")
        XCTAssertEqual(first.allRuns.map(\.instance), ["a", "b"])

        // Leading again later, an instance asks the records again rather than trusting what it knew.
        leadB.isLeader = false
        leadA.isLeader = true
        XCTAssertFalse(a.runIfDue(), "today was done by the other instance")
        XCTAssertEqual(first.allRuns.count, 2)
    }
}
