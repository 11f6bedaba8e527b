import Configuration
import Delivery
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// Membership changes reach the CRM endpoint as `segment.membership_changed` events, written with the evaluation.
final class SegmentEventTests: XCTestCase {
    func testWhoJoinedAndWhoLeftGoesToTheCRM() throws {
        let crm = try StubSink()
        defer { crm.stop() }
        let gateway = try TestGateway { config in
            config.outbound[url: .crm] = crm.url + "/events"
            config.outbound.pollIntervalMilliseconds = 50
        }
        defer { gateway.shutdown() }
        try gateway.customerSays("hi", phone: "60111000001", name: "Aisyah")
        try gateway.customerSays("hi", phone: "60111000002", name: "Ben")
        let aisyah = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B60111000001").json?["id"]?.stringValue)
        let ben = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B60111000002").json?["id"]?.stringValue)
        let body = #"{"name": "A names", "groups": [{"filters": [{"field": "full_name", "operator": "starts_with", "value": "a"}]}]}"#
        let id = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body).json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)

        func segmentEvents() -> [JSONValue] {
            crm.received.compactMap { try? JSONParser.parse($0.body) }
                .filter { $0["type"]?.stringValue == "segment.membership_changed" }
        }
        eventually("the first evaluation's event") { segmentEvents().count == 1 }
        XCTAssertEqual(segmentEvents().first?["data"]?["added"], .array([.string(aisyah)]))
        XCTAssertEqual(segmentEvents().first?["data"]?["removed"], .array([]))

        // Ben renames himself "Adam"; Aisyah becomes "Siti": one joins, one leaves.
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(ben)", body: #"{"name": "Adam"}"#).status, 200)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(aisyah)", body: #"{"name": "Siti"}"#).status, 200)
        gateway.advance(minutes: 31)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)
        eventually("the second evaluation's event") { segmentEvents().count == 2 }
        XCTAssertEqual(segmentEvents().last?["data"]?["added"], .array([.string(ben)]))
        XCTAssertEqual(segmentEvents().last?["data"]?["removed"], .array([.string(aisyah)]))
        XCTAssertEqual(segmentEvents().last?["data"]?["segment_name"]?.stringValue, "A names")
    }
}
