import Messaging
import XCTest

/// The 24-hour customer-service window: free-form while it is open, templates only otherwise, with the reason.
final class CustomerServiceWindowTests: XCTestCase {
    private let hour: Int64 = 3_600_000
    private let now: Int64 = 1_750_000_000_000

    func testOpenForTwentyFourHoursAfterTheCustomersLastMessage() {
        let decision = CustomerServiceWindow.evaluate(lastCustomerMessageAt: now - 23 * hour, now: now)
        XCTAssertEqual(decision, .freeFormAllowed(closesAt: now + hour))
        XCTAssertTrue(decision.allowsFreeForm)
    }

    func testClosedAtExactlyTwentyFourHours() {
        let decision = CustomerServiceWindow.evaluate(lastCustomerMessageAt: now - 24 * hour, now: now)
        XCTAssertEqual(decision, .templateOnly(.windowClosed(closedAt: now)))
        XCTAssertFalse(decision.allowsFreeForm)
        XCTAssertTrue(CustomerServiceWindow.Reason.windowClosed(closedAt: now).description.contains("send a template"))
    }

    func testNoCustomerMessageMeansTemplateOnly() {
        XCTAssertEqual(CustomerServiceWindow.evaluate(lastCustomerMessageAt: nil, now: now),
                       .templateOnly(.noCustomerMessage))
    }

    func testAMessageStampedInTheFutureCountsAsNow() {
        XCTAssertEqual(CustomerServiceWindow.evaluate(lastCustomerMessageAt: now + hour, now: now),
                       .freeFormAllowed(closesAt: now + 24 * hour))
    }
}
