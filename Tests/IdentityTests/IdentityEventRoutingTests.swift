import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPServer
import HTTPTesting
import XCTest

/// Black-box: `contact.identity_changed` events (customer merges included) go to the `crm` endpoint
/// (`CRM_EVENTS_URL`), never to Omnichannel, which only takes deal/ticket room refresh events. Without a CRM URL
/// nothing is enqueued — no outbox row, no dead letter — and each event is counted on `/metrics`.
final class IdentityEventRoutingTests: XCTestCase {
    /// One event per changed contact and operation: the two creations, the merge (the survivor and the merged
    /// customer), the API write.
    static let eventCount = 5

    private var crm: StubSink!
    private var omnichannel: StubSink!

    override func setUpWithError() throws {
        crm = try StubSink()
        omnichannel = try StubSink()
    }

    override func tearDown() {
        crm = nil
        omnichannel = nil
    }

    private func gateway(crmEventsURL: String?) throws -> TestGateway {
        let omnichannelURL = omnichannel.url + "/omnichannel"
        // Identity writes stamp their outbox rows with the wall clock: the dispatcher's clock starts just after it.
        let wallClockSoon = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        return try TestGateway(clockStart: wallClockSoon) { config in
            config.adminToken = TestGateway.adminToken
            config.multiBSUIDEnabled = true
            config.outbound[url: .crm] = crmEventsURL
            config.outbound[url: .omnichannel] = omnichannelURL
            config.outbound.pollIntervalMilliseconds = 50
        }
    }

    /// Two customers (an old phone, a new BSUID with a new phone), then WhatsApp's number-change notice that proves
    /// them one person: they are merged.
    private func createAndMergeTwoCustomers(_ gateway: TestGateway) throws {
        let deliveries = [
            WhatsAppBodyBuilder.message(id: "wamid.OLD", phone: "60123456789", bsuid: nil, timestamp: 1_767_000_010),
            WhatsAppBodyBuilder.message(id: "wamid.NEW", phone: "60198765432", bsuid: "MY.2718281828459045",
                                        timestamp: 1_767_000_040),
            WhatsAppBodyBuilder.identityChange(id: "wamid.CHANGE", type: "user_changed_number",
                                               fromPhone: "60123456789", fromBSUID: nil, newPhone: "60198765432",
                                               newBSUID: "MY.2718281828459045", timestamp: 1_767_000_030),
        ]
        for body in deliveries {
            XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
            gateway.waitForIdentity()
        }
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers WHERE merged_into IS NULL").first?["n"], "1")
    }

    func testIdentityChangesAndMergesAreDeliveredToTheCRMEndpointNotToOmnichannel() throws {
        let gateway = try gateway(crmEventsURL: crm.url + "/crm")
        try createAndMergeTwoCustomers(gateway)
        let created = try gateway.contacts("POST", "/v1/contacts", ["name": "Ali", "emails": ["ali@example.com"]])
        XCTAssertEqual(created.status, 201, created.text)
        let ali = try XCTUnwrap(created.json?["id"]?.stringValue)

        let outbox = try gateway.rows("SELECT endpoint, idempotency_key, ordering_key FROM outbox ORDER BY id")
        XCTAssertEqual(outbox.count, Self.eventCount, "two creations, the merge and the API write")
        XCTAssertEqual(Set(outbox.compactMap { $0["endpoint"] }), ["crm"])
        let received = crm.waitForRequests(outbox.count)
        XCTAssertEqual(Set(received.compactMap(\.webhookID)), Set(outbox.compactMap { $0["idempotency_key"] }),
                       "the same webhook-id (idempotency key) as enqueued")
        let events = try received.map { try JSONParser.parse($0.body) }
        for (request, event) in zip(received, events) {
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/crm")
            XCTAssertEqual(request.headers["Content-Type"], "application/json")
            XCTAssertTrue(request.webhookID?.hasPrefix("identity:") ?? false, request.webhookID ?? "-")
            XCTAssertEqual(event["type"], "contact.identity_changed")
        }
        let actions = events.flatMap { $0["data"]?["changes"]?.arrayValue ?? [] }.compactMap { $0["action"]?.stringValue }
        XCTAssertTrue(actions.contains("customer.merged"), "\(actions)")
        let aliEvent = try XCTUnwrap(events.first { $0["data"]?["contact_id"]?.stringValue == ali })
        XCTAssertEqual(aliEvent["data"]?["actor"]?.stringValue, "admin", "the caller's name from its credential")
        XCTAssertEqual(outbox.last?["ordering_key"], ali, "one contact's changes are delivered in order")
        eventually("all delivered") {
            try gateway.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").first?["n"]
                == String(outbox.count)
        }

        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertTrue(omnichannel.received.isEmpty, "identity changes must not go to Omnichannel")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"], "0")
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("gateway_identity_events_not_configured_total 0\n"), metrics)
        XCTAssertTrue(metrics.contains(#"gateway_outbound_deliveries_total{endpoint="crm",outcome="delivered"} 5"#))

        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/crm-events.rules.yml"),
                               encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_outbound_deliveries_total", "gateway_outbound_breaker_state",
                               "gateway_outbound_endpoint_disabled", "gateway_outbound_attempts_total",
                               "gateway_identity_events_not_configured_total"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }
    }

    func testWithoutACRMURLIdentityChangesAreNotEnqueuedButCounted() throws {
        let gateway = try gateway(crmEventsURL: nil)
        try createAndMergeTwoCustomers(gateway)
        let created = try gateway.contacts("POST", "/v1/contacts", ["name": "Ali", "emails": ["ali@example.com"]])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?email=ali@example.com").status, 200,
                       "the change itself is applied")

        // Several dispatcher sweeps (which park rows of endpoints without a URL) go by.
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"], "0")
        XCTAssertTrue(omnichannel.received.isEmpty)
        XCTAssertTrue(crm.received.isEmpty)
        let metrics = try gateway.request("GET", "/metrics").text
        let line = try XCTUnwrap(metrics.split(separator: "\n")
            .first { $0.hasPrefix("gateway_identity_events_not_configured_total ") }, metrics)
        XCTAssertEqual(line, "gateway_identity_events_not_configured_total \(Self.eventCount)",
                       "two creations, the merge and the API write")
        XCTAssertTrue(metrics.contains("# HELP gateway_identity_events_not_configured_total "), metrics)
    }
}
