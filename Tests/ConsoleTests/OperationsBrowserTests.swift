import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The operations page in real Chromium: the delivery gauges, an admin finds a dead letter, reads its details and
/// replays it; the endpoints and the audit log show what happened.
final class OperationsBrowserTests: BrowserTestCase {
    /// The Omnichannel endpoint: refuses the first call (400, permanent: a dead letter), accepts the rest.
    private var omnichannel: StubSink!

    override func configure(_ config: inout GatewayConfig) {
        omnichannel = try? StubSink { index, _ in index == 0 ? .status(400) : .status(200) }
        config.outbound[url: .omnichannel] = (omnichannel?.url ?? "http://127.0.0.1:9") + "/events"
        config.outbound.pollIntervalMilliseconds = 50
    }

    func testAnAdminFindsAndReplaysADeadLetter() throws {
        let sent = try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count": 1}"#)
        XCTAssertEqual(sent.status, 202, sent.text)
        var letter: Int64?
        eventually("the refused call is a dead letter") {
            letter = try gateway.admin("GET", "/v1/dead-letters").json?["items"]?.arrayValue?.first?["id"]?.int64Value
            return letter != nil
        }
        let id = try XCTUnwrap(letter)

        try signedIn(as: "admin", at: "/console/operations", page: "operations")
        try browser.wait(for: "#endpoints tr[data-endpoint=omnichannel]", containing: "closed")
        try browser.wait(for: "tr[data-dead-letter=\"\(id)\"]", containing: "omnichannel")
        XCTAssertTrue(try browser.text(of: "tr[data-dead-letter=\"\(id)\"]").contains("400"))
        XCTAssertEqual(try browser.text(of: "[data-gauge=gateway_dead_letters] dd"), "1")
        XCTAssertEqual(try browser.text(of: "[data-gauge=gateway_outbox_depth] dd"), "0")
        XCTAssertTrue(try browser.text(of: "#delivery-health").contains("Inbox lag"))
        try browser.choose("whatsapp", in: "#dead-letter-endpoint")
        try browser.click("#dead-letter-endpoint + button, .filters button[type=submit]")
        try browser.wait(for: "#dead-letters tbody", containing: "No dead letters.")
        try browser.choose("omnichannel", in: "#dead-letter-endpoint")
        try browser.click(".filters button[type=submit]")
        try browser.wait(for: "tr[data-dead-letter=\"\(id)\"]")

        try capture("operations", ready: "operations")
        try browser.click("tr[data-dead-letter=\"\(id)\"] button.details")
        try browser.wait(for: "#dead-letter-details[open] pre", containing: "\"reason\"")
        try browser.click("#dead-letter-details button", containing: "Close")

        try browser.click("tr[data-dead-letter=\"\(id)\"] button.replay")
        try browser.wait(for: "#dead-letters tbody", containing: "No dead letters.")
        XCTAssertEqual(omnichannel.waitForRequests(2).count, 2, "the replayed call was sent again, and accepted")
        try open("/console/operations", page: "operations")
        try recordTiming("operations")
        try browser.wait(for: "#audit", containing: "dead_letter.replayed")
    }
}
