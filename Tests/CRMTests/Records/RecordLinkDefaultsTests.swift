import CRM
import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// Black-box: the gateway hands out links into the CRM and Omnichannel only where the deployment configures them
/// (`crm.record_url_base`, `omnichannel.room_url_base`; both unset by default). Without them the link fields are
/// null everywhere they appear: records, room previews, timeline entries and Omnichannel refresh events.
final class RecordLinkDefaultsTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws {
        fixture = try RecordsFixture(configure: { config in
            config.records.crmRecordURLBase = GatewayConfig().records.crmRecordURLBase
            config.records.roomURLBase = GatewayConfig().records.roomURLBase
        })
    }

    override func tearDown() { fixture = nil }

    func testWithoutConfiguredBasesEveryLinkFieldIsNull() throws {
        let created = try gateway.command("deal.created", #"{"name":"Linkless","room_id":"room-1","creator_flag":"bot"}"#)
        XCTAssertEqual(created.status, 201, created.text)
        let deal = try XCTUnwrap(created.json)
        let id = try XCTUnwrap(deal["id"]?.int64Value)
        XCTAssertEqual(deal["external_url"], .null)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/\(id)").json?["external_url"], .null)
        XCTAssertEqual(try fixture.room("room-1")?["deal"]?["external_url"], .null)

        let ticket = try gateway.command("ticket.created", #"{"name":"Linkless","room_id":"room-1","creator_flag":"bot"}"#)
        XCTAssertEqual(ticket.status, 201, ticket.text)
        XCTAssertEqual(ticket.json?["external_url"], .null)

        fixture.waitForSettledTimeline()
        let entry = try XCTUnwrap(try fixture.timeline("deal", id).first)
        XCTAssertEqual(entry["room_deeplink"], .null)
        XCTAssertEqual(entry["preview_status"], "fetched", "the entry is complete otherwise")

        let events = fixture.events(2)
        XCTAssertEqual(events.map(\.path), ["/omnichannel/deals", "/omnichannel/tickets"])
        for event in events {
            let body = try XCTUnwrap(event.json)
            XCTAssertEqual(body["external_url"], .null, event.text)
            XCTAssertEqual(body["room_id"], "room-1")
        }
    }
}
