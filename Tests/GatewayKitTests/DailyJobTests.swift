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
}
