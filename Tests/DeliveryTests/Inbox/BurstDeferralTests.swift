@testable import Delivery
import XCTest

/// When the normalizer waits for a burst of webhooks: only above the rate, at most the deferral in a row, and not
/// again before it has caught up — so a load that never lets up is applied as it arrives.
final class BurstDeferralTests: XCTestCase {
    private let tick: UInt64 = 100_000_000  // 100 ms

    /// Feeds `seconds` of appends at `perSecond`, one decision every 100 ms; the decisions.
    private func run(_ deferral: inout BurstDeferral, perSecond: Int, seconds: Int, from start: inout (Int, UInt64))
        -> [Bool] {
        (0..<(seconds * 10)).map { _ in
            start.0 += perSecond / 10
            start.1 += tick
            return deferral.shouldDefer(appendsSoFar: start.0, now: start.1)
        }
    }

    func testItWaitsOnlyWhileWebhooksArriveFasterThanTheRate() {
        var deferral = BurstDeferral(ratePerSecond: 2_000, maxDeferralMilliseconds: 5_000)
        var clock = (0, UInt64(1_000_000_000))
        XCTAssertFalse(deferral.shouldDefer(appendsSoFar: 0, now: clock.1), "the first look has no rate yet")
        XCTAssertEqual(Set(run(&deferral, perSecond: 1_500, seconds: 2, from: &clock)), [false])
        let burst = run(&deferral, perSecond: 9_000, seconds: 2, from: &clock)
        XCTAssertEqual(Set(burst.dropFirst()), [true], "waits from the first window above the rate")
        XCTAssertTrue(deferral.isDeferring)
        XCTAssertEqual(run(&deferral, perSecond: 100, seconds: 1, from: &clock).first, false, "the burst is over")
        XCTAssertFalse(deferral.isDeferring)
    }

    func testItWaitsAtMostTheDeferralThenCatchesUpBeforeWaitingAgain() {
        var deferral = BurstDeferral(ratePerSecond: 2_000, maxDeferralMilliseconds: 1_000)
        var clock = (0, UInt64(1_000_000_000))
        _ = deferral.shouldDefer(appendsSoFar: 0, now: clock.1)
        let decisions = run(&deferral, perSecond: 9_000, seconds: 3, from: &clock)
        XCTAssertEqual(decisions.filter { $0 }.count, 10, "one second of waiting, then never again while it lasts")
        XCTAssertEqual(Array(decisions.suffix(15)), Array(repeating: false, count: 15))
        deferral.passRan(caughtUp: false)
        XCTAssertFalse(run(&deferral, perSecond: 9_000, seconds: 1, from: &clock).contains(true),
                       "a full batch is not caught up")
        deferral.passRan(caughtUp: true)
        XCTAssertTrue(run(&deferral, perSecond: 9_000, seconds: 1, from: &clock).contains(true),
                      "caught up, the next burst may wait again")
    }

    func testZeroMeansNeverWait() {
        for (rate, deferralMilliseconds) in [(0, 5_000), (2_000, 0)] {
            var deferral = BurstDeferral(ratePerSecond: rate, maxDeferralMilliseconds: deferralMilliseconds)
            var clock = (0, UInt64(1_000_000_000))
            XCTAssertFalse(run(&deferral, perSecond: 50_000, seconds: 2, from: &clock).contains(true))
        }
    }
}
