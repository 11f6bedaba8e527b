@testable import Delivery
@testable import GatewayKit
import GatewayTesting
import HTTPClient
import XCTest

/// The rules behind retries, unit by unit: which answers are retried, how long to wait, when to give up, how the
/// breaker and the rate limiter move with time.
final class RetryRulesTests: XCTestCase {
    private func report(status: Int? = nil, error: ClientError? = nil, retryAfter: String? = nil) -> AttemptReport {
        let result: Result<ClientResponse, ClientError> = error.map { .failure($0) }
            ?? .success(ClientResponse(status: status ?? 200, headers: retryAfter.map { [("retry-after", $0)] } ?? [],
                                       body: Array("body".utf8)))
        return AttemptReport(result: result, startedAt: 1_000, finishedAt: 1_250, durationSeconds: 0.25)
    }

    func testStatusesAndTransportErrorsAreClassified() {
        let policy = RetryPolicy(scheduleMilliseconds: [5_000], maxAttempts: 5, maxRetryAfterMilliseconds: 60_000,
                                 random: { $0.upperBound })
        for status in [200, 201, 204, 299] {
            XCTAssertEqual(policy.decide(report(status: status), attempts: 1, now: 0), .delivered, "\(status)")
        }
        for status in [408, 425, 429, 500, 502, 503, 504, 599] {
            XCTAssertEqual(policy.decide(report(status: status), attempts: 1, now: 0), .retry(at: 5_000), "\(status)")
        }
        for status in [301, 400, 401, 403, 404, 409, 413, 422] {
            XCTAssertEqual(policy.decide(report(status: status), attempts: 1, now: 0), .deadLetter(.permanent), "\(status)")
        }
        XCTAssertEqual(policy.decide(report(status: 410), attempts: 1, now: 0), .deadLetter(.gone))
        let retried: [ClientError] = [.timedOut("t"), .couldNotConnect("c"), .sendOrReceive("r"), .tls("s"),
                                      .other(code: 99, message: "?")]
        for error in retried {
            XCTAssertEqual(policy.decide(report(error: error), attempts: 1, now: 0), .retry(at: 5_000), "\(error)")
        }
        XCTAssertEqual(policy.decide(report(error: .invalidRequest("bad url")), attempts: 1, now: 0),
                       .deadLetter(.permanent))
    }

    func testBackoffUsesFullJitterUnderEachStepAndRepeatsTheLast() {
        let seen = LockedArray<ClosedRange<Int>>()
        let policy = RetryPolicy(scheduleMilliseconds: [5_000, 30_000, 120_000], maxAttempts: 10,
                                 maxRetryAfterMilliseconds: 0, random: { seen.append($0); return $0.lowerBound })
        for attempts in 1...5 { _ = policy.backoff(afterAttempt: attempts) }
        XCTAssertEqual(seen.values, [0...5_000, 0...30_000, 0...120_000, 0...120_000, 0...120_000])

        let real = RetryPolicy(scheduleMilliseconds: [1_000], maxAttempts: 10, maxRetryAfterMilliseconds: 0)
        let delays = (0..<200).map { _ in real.backoff(afterAttempt: 1) }
        XCTAssertTrue(delays.allSatisfy { (0...1_000).contains($0) })
        XCTAssertGreaterThan(Set(delays).count, 50, "jitter should spread retries")
    }

    func testRetriesStopAtMaxAttempts() {
        let policy = RetryPolicy(scheduleMilliseconds: [10], maxAttempts: 3, maxRetryAfterMilliseconds: 0,
                                 random: { $0.upperBound })
        XCTAssertEqual(policy.decide(report(status: 500), attempts: 2, now: 100), .retry(at: 110))
        XCTAssertEqual(policy.decide(report(status: 500), attempts: 3, now: 100), .deadLetter(.exhausted))
    }

    func testRetryAfterIsAFloorAndIsCapped() {
        let policy = RetryPolicy(scheduleMilliseconds: [100], maxAttempts: 5, maxRetryAfterMilliseconds: 10_000,
                                 random: { $0.upperBound })
        XCTAssertEqual(policy.decide(report(status: 429, retryAfter: "2"), attempts: 1, now: 0), .retry(at: 2_000))
        XCTAssertEqual(policy.decide(report(status: 503, retryAfter: "86400"), attempts: 1, now: 0), .retry(at: 10_000))
        XCTAssertEqual(policy.decide(report(status: 429, retryAfter: "soon"), attempts: 1, now: 0), .retry(at: 100))
    }

    func testRetryAfterReadsSecondsAndHTTPDates() {
        let now: Int64 = 784_111_777_000   // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryAfter.milliseconds("120", now: now), 120_000)
        XCTAssertEqual(RetryAfter.milliseconds("Sun, 06 Nov 1994 08:50:37 GMT", now: now), 60_000)
        XCTAssertEqual(RetryAfter.milliseconds("Sunday, 06-Nov-94 08:49:47 GMT", now: now), 10_000)
        XCTAssertEqual(RetryAfter.milliseconds("Sun Nov  6 08:49:57 1994", now: now), 20_000)
        XCTAssertEqual(RetryAfter.milliseconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now), 0, "past dates mean now")
        XCTAssertNil(RetryAfter.milliseconds("-5", now: now))
        XCTAssertNil(RetryAfter.milliseconds("later", now: now))
        XCTAssertNil(RetryAfter.milliseconds(nil, now: now))
    }

    func testFailureReportKeepsASnippetAndTheRetryAfter() {
        let failed = report(status: 503, retryAfter: "7")
        XCTAssertEqual(failed.errorClass, .serverError)
        XCTAssertEqual(failed.responseSnippet, "body")
        XCTAssertEqual(failed.retryAfterMillis, 7_000)
        XCTAssertEqual(failed.durationMillis, 250)
        let big = AttemptReport(result: .success(ClientResponse(status: 500, headers: [], body: Array(repeating: 65, count: 5_000))),
                                startedAt: 0, finishedAt: 0, durationSeconds: 0)
        XCTAssertEqual(big.responseSnippet?.count, AttemptReport.snippetLimit)
    }

    func testBreakerOpensHalfOpensAndCloses() {
        var breaker = CircuitBreaker(threshold: 2, coolDownMillis: 1_000)
        XCTAssertNil(breaker.allowance(now: 0))
        XCTAssertFalse(breaker.recordFailure(now: 0))
        XCTAssertTrue(breaker.recordFailure(now: 10))
        XCTAssertEqual(breaker.allowance(now: 500), 0)
        XCTAssertEqual(breaker.allowance(now: 1_010), 1, "one probe after the cool-down")
        XCTAssertTrue(breaker.recordFailure(now: 1_100), "a failed probe opens it again")
        XCTAssertEqual(breaker.allowance(now: 1_200), 0)
        XCTAssertEqual(breaker.allowance(now: 2_100), 1)
        breaker.recordSuccess()
        XCTAssertNil(breaker.allowance(now: 2_200))
        var disabled = CircuitBreaker(threshold: 0, coolDownMillis: 1_000)
        for _ in 0..<10 { XCTAssertFalse(disabled.recordFailure(now: 0)) }
        XCTAssertNil(disabled.allowance(now: 0))
    }

    func testTokenBucketAllowsTheRateAndNoMore() {
        var bucket = TokenBucket(ratePerSecond: 80)
        var sent = 0
        for millis in stride(from: Int64(0), to: 1_000, by: 1) where bucket.take(now: millis) { sent += 1 }
        XCTAssertLessThanOrEqual(sent, 80 + 8, "a second holds the rate plus the tenth-of-a-second bank")
        XCTAssertGreaterThanOrEqual(sent, 79)
        while bucket.take(now: 5_000) {}
        XCTAssertEqual(bucket.nextTokenAt(now: 5_000) - 5_000, 13, "80/s = one every 12.5 ms")
    }

    func testAnEndpointsRateIsSharedAmongTheLiveInstances() {
        var lane = EndpointLane(endpoint: OutboundEndpoint(name: "whatsapp", url: "http://127.0.0.1:1", ratePerSecond: 80),
                                breakerThreshold: 5, breakerCoolDownMillis: 1_000, maxRetryAgeMillis: 60_000)
        XCTAssertEqual(lane.ratePerSecond, 80)
        lane.share(among: 4)
        XCTAssertEqual(lane.ratePerSecond, 20, "four instances send 20/s each: 80/s for the number")
        lane.share(among: 1)
        XCTAssertEqual(lane.ratePerSecond, 80, "alone again, the instance has the whole limit")
        lane.share(among: 200)
        XCTAssertEqual(lane.ratePerSecond, 1)
        var unlimited = EndpointLane(endpoint: OutboundEndpoint(name: "sink", url: "http://127.0.0.1:1"),
                                     breakerThreshold: 5, breakerCoolDownMillis: 1_000, maxRetryAgeMillis: 60_000)
        unlimited.share(among: 3)
        XCTAssertEqual(unlimited.ratePerSecond, 0)
    }

    func testDurationsParseAndFormat() {
        XCTAssertEqual(DurationText.milliseconds("250ms"), 250)
        XCTAssertEqual(DurationText.milliseconds("5s"), 5_000)
        XCTAssertEqual(DurationText.milliseconds("2m"), 120_000)
        XCTAssertEqual(DurationText.milliseconds("1.5h"), 5_400_000)
        XCTAssertEqual(DurationText.milliseconds("7d"), 604_800_000)
        XCTAssertEqual(DurationText.milliseconds(" 12h "), 43_200_000)
        for bad in ["", "5", "s", "-1s", "5 s", "1e3s", "5w", "abc"] {
            XCTAssertNil(DurationText.milliseconds(bad), bad)
        }
        XCTAssertEqual(DurationText.format(milliseconds: 90_000), "90s")
        XCTAssertEqual(DurationText.format(milliseconds: 21_600_000), "6h")
        XCTAssertEqual(DurationText.format(milliseconds: 1_500), "1500ms")
    }

    func testTraceParentIsCarriedWhenValidAndStartedOtherwise() {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        XCTAssertEqual(TraceParent.continuing(valid), valid)
        for bad in [nil, "", "00-0000-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "x\r\ninjected: 1",
                    // Fullwidth digits and letters count as hex digits to `Character`, not to a header.
                    "00-４bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902ｂ7-01"] {
            let started = TraceParent.continuing(bad)
            XCTAssertTrue(TraceParent.isValid(started), started)
            XCTAssertNotEqual(started, bad)
        }
        // A started trace: version 00, lowercase hex ids drawn afresh each time, sampled.
        let first = TraceParent.continuing(nil).split(separator: "-")
        let second = TraceParent.continuing(nil).split(separator: "-")
        XCTAssertEqual(first.map(\.count), [2, 32, 16, 2])
        XCTAssertEqual([first[0], first[3]], ["00", "01"])
        XCTAssertTrue(first.allSatisfy { $0.allSatisfy { "0123456789abcdef".contains($0) } }, "\(first)")
        XCTAssertNotEqual(first[1], second[1])
        XCTAssertNotEqual(first[2], second[2])
    }
}
