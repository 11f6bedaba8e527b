import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// A campaign sent from the segment page at one message a second, cancelled from its progress while it sends: what
/// had not gone is withdrawn and the page says so.
final class CampaignCancelBrowserTests: BrowserTestCase {
    override func configure(_ config: inout GatewayConfig) {
        do {
            try ConfigLoader.apply(json: Array(#"{"campaigns": {"messages_per_second": 1}}"#.utf8), origin: "test", to: &config)
        } catch {
            XCTFail("\(error)")
        }
    }

    func testASendingCampaignIsCancelledFromItsProgress() throws {
        // Six members at one message a second: the cancel comes while most have not gone, however busy the machine.
        for (index, name) in ["Adi", "Aina", "Azlan", "Amin", "Aida", "Arif"].enumerated() {
            try gateway.customerSays("hi", phone: "6011200000\(index)", name: name)
        }
        let segment = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: #"{"name": "A names", "groups": [{"filters": [{"field": "full_name", "operator": "starts_with", "value": "a"}]}]}"#).json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(segment)/refresh").status, 202)
        try signedIn(as: "sales", at: "/console/segments/\(segment)", page: "segments")
        try browser.wait(for: "#segment-readiness", containing: "Ready", timeout: 15)
        try browser.wait(for: "#campaign-estimate", containing: "6 of 6 have WhatsApp")
        try browser.type("Merdeka", into: "#campaign-name")
        try browser.choose("segment_promotion", in: "#campaign-template")
        try browser.type("A gift for you.", into: "#variable-1-value")
        try browser.click("#start-campaign")
        try browser.click("#cancel-campaign")
        try browser.wait(for: "#campaign-progress[data-status=cancelled]")
        XCTAssertNil(try browser.find("#cancel-campaign"), "nothing left to cancel")
        XCTAssertNotNil(try browser.find("#campaign-progress [data-outcome=cancelled]"))
        let campaign = try XCTUnwrap(try gateway.admin("GET", "/v1/segments/\(segment)/campaigns").json?["items"]?
            .arrayValue?.first)
        XCTAssertEqual(campaign["status"], "cancelled")
        XCTAssertGreaterThanOrEqual(campaign["progress"]?["cancelled"]?.int64Value ?? 0, 1)
        XCTAssertEqual(campaign["progress"]?["pending"], .integer(0), "nothing left waiting to go")
    }
}
