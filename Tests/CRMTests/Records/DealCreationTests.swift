import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// Bot/AI deal creation with the extended payload, its failure modes, contact association, the creator label and
/// the kept source — black-box over HTTP.
final class DealCreationTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws {
        fixture = try RecordsFixture()
        try gateway.addContacts("c-42")
    }

    override func tearDown() { fixture = nil }

    func testBotCreatesDealWithRoomContactAndCreatorFlag() throws {
        let response = try gateway.command("deal.created", #"""
            {"name":"Kopi Corner POS upgrade","pipeline":"Retail","stage":"Qualified","size":1500000,"owner":"u-7",
             "priority":"high","approval_status":"pending","room_id":"room-1","contact_id":"c-42",
             "creator_flag":"bot","source":"whatsapp_campaign"}
            """#)
        XCTAssertEqual(response.status, 201, response.text)
        let deal = try XCTUnwrap(response.json)
        let id = try XCTUnwrap(deal["id"]?.int64Value)
        XCTAssertEqual(deal["name"], "Kopi Corner POS upgrade")
        XCTAssertEqual(deal["pipeline"], "Retail")
        XCTAssertEqual(deal["stage"], "Qualified")
        XCTAssertEqual(deal["size"]?.doubleValue, 1_500_000)
        XCTAssertEqual(deal["approval_status"], "pending")
        XCTAssertEqual(deal["room_id"], "room-1")
        XCTAssertEqual(deal["contact_id"], "c-42")
        XCTAssertEqual(deal["creator_flag"], "bot")
        XCTAssertEqual(deal["creator_label"], "Bot")
        XCTAssertEqual(deal["source"], "whatsapp_campaign", "a given source is kept")
        XCTAssertEqual(deal["external_url"]?.stringValue, "https://crm.test/crm/deals/\(id)")
        XCTAssertEqual(deal["unique_id"]?.stringValue?.count, 36)
        XCTAssertEqual(deal["version"], 1)

        // The same record is what the API reads back, and what the room shows.
        let read = try gateway.admin("GET", "/v1/deals/\(id)")
        XCTAssertEqual(read.status, 200)
        XCTAssertEqual(read.json, deal)
        XCTAssertEqual(try fixture.room("room-1")?["deal"], deal)

        // Timeline entry with the chat history preview, deeplink and creator badge.
        fixture.waitForSettledTimeline()
        let entries = try fixture.timeline("deal", id)
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["creator_label"], "Bot")
        XCTAssertEqual(entries.first?["room_deeplink"], "https://chat.test/rooms/room-1")
        XCTAssertEqual(entries.first?["preview_status"], "fetched")
        XCTAssertEqual(entries.first?["chat_history_preview"]?.stringValue, RecordsFixture.historyPreview)
        let chatRequest = try XCTUnwrap(fixture.chatPanel.received.first)
        XCTAssertEqual(chatRequest.method, "GET")
        XCTAssertEqual(chatRequest.path, "/chat-panel/rooms/room-1/messages")

        // Omnichannel hears about it.
        let event = try XCTUnwrap(fixture.events(1).first)
        XCTAssertEqual(event.method, "POST")
        XCTAssertEqual(event.path, "/omnichannel/deals")
        XCTAssertEqual(event.webhookID, "omnichannel:deal:\(id):created")
        XCTAssertEqual(event.json?["event"], "deal.created")
        XCTAssertEqual(event.json?["room_id"], "room-1")
        XCTAssertEqual(event.json?["external_id"]?.stringValue, String(id))
        XCTAssertEqual(event.json?["external_url"]?.stringValue, "https://crm.test/crm/deals/\(id)")
        XCTAssertEqual(event.json?["name"], "Kopi Corner POS upgrade")
        XCTAssertEqual(event.json?["stage"], "Qualified")
        XCTAssertEqual(event.json?["pipeline"], "Retail")

        XCTAssertEqual(gateway.app.metrics.counter("gateway_bot_deal_created_total"), 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                   [("event", "deal.created"), ("outcome", "enqueued")]), 1)
    }

    func testAgenticAICreateIsLabelledAI() throws {
        let response = try gateway.command("deal.created",
                                           #"{"name":"AI deal","room_id":"room-ai","creator_flag":"agentic_ai"}"#,
                                           path: "/webhooks/agent")
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.json?["creator_label"], "AI")
        XCTAssertEqual(response.json?["source"], "agent", "no source given: the origin API is the source")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ai_deal_created_total"), 1)
        XCTAssertEqual(fixture.events(1).first?.json?["creator_label"], "AI")
    }

    func testWithoutRoomTheDealIsCreatedWithoutTimelineOrEvent() throws {
        let id = try gateway.createDeal(#"{"name":"No room","creator_flag":"bot"}"#)
        XCTAssertEqual(try fixture.timeline("deal", id), [])
        XCTAssertEqual(try gateway.count("timeline_entries"), 0)
        XCTAssertEqual(try gateway.count("room_previews"), 0)
        XCTAssertEqual(try gateway.omnichannelOutbox().count, 0)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_bot_deal_created_total"), 1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertTrue(fixture.omnichannel.received.isEmpty)
        XCTAssertTrue(fixture.chatPanel.received.isEmpty)
    }

    func testUnknownContactIsNotAssociatedButLoggedAndCounted() throws {
        for (index, contact) in [#""c-missing""#, "0", #""null""#].enumerated() {
            let response = try gateway.command("deal.created",
                                               #"{"name":"Deal \#(index)","contact_id":\#(contact),"creator_flag":"bot"}"#)
            XCTAssertEqual(response.status, 201, response.text)
            XCTAssertEqual(response.json?["contact_id"], .null)
        }
        XCTAssertEqual(gateway.app.metrics.counter("gateway_contact_association_failed_total", [("kind", "deal")]), 3)
        XCTAssertEqual(try gateway.count("deals", "contact_id IS NULL"), 3)
    }

    func testSoftDeletedContactIsNotAssociated() throws {
        try gateway.addContacts("c-gone")
        let store = gateway.app.store
        try store.database.write { try $0.run("UPDATE contacts SET deleted_at = 1 WHERE id = 'c-gone'") }
        let response = try gateway.command("deal.created", #"{"name":"x","contact_id":"c-gone"}"#)
        XCTAssertEqual(response.json?["contact_id"], .null)
    }

    func testIntegerContactIDMatchesTheStoredContact() throws {
        try gateway.addContacts("42")
        let response = try gateway.command("deal.created", #"{"name":"x","contact_id":42}"#)
        XCTAssertEqual(response.json?["contact_id"], "42")
    }

    func testExistingContactAssociationIsNeverOverridden() throws {
        try gateway.addContacts("c-43")
        let id = try gateway.createDeal(#"{"name":"Has contact","contact_id":"c-42","creator_flag":"bot"}"#)
        let update = try gateway.command("deal.updated", #"{"id":\#(id),"contact_id":"c-43","creator_flag":"bot"}"#)
        XCTAssertEqual(update.status, 200)
        XCTAssertEqual(update.json?["contact_id"], "c-42")
        XCTAssertEqual(update.json?["version"], 1, "nothing changed")
        // A record without a contact gets one from a later update with a valid id.
        let bare = try gateway.createDeal(#"{"name":"No contact"}"#)
        let attach = try gateway.command("deal.updated", #"{"id":\#(bare),"contact_id":"c-43"}"#)
        XCTAssertEqual(attach.json?["contact_id"], "c-43")
        XCTAssertEqual(attach.json?["version"], 2)
    }

    func testUnknownOrAbsentCreatorFlagKeepsDefaultBehaviourAndIsNotPropagated() throws {
        for (index, flag) in [#","creator_flag":"human""#, ""].enumerated() {
            let response = try gateway.command("deal.created", #"{"name":"Default \#(index)","room_id":"room-d\#(index)"\#(flag)}"#)
            XCTAssertEqual(response.status, 201, response.text)
            XCTAssertEqual(response.json?["creator_label"], .null)
        }
        // The room_id is kept as data, but the record takes no room slot and gets no timeline entry; Omnichannel is
        // not told, and that is counted.
        XCTAssertEqual(try gateway.rows("SELECT room_id FROM deals ORDER BY id").compactMap { $0["room_id"] },
                       ["room-d0", "room-d1"])
        XCTAssertEqual(try fixture.room("room-d0")?["deal"], .null)
        XCTAssertEqual(try gateway.count("timeline_entries"), 0)
        XCTAssertEqual(try gateway.omnichannelOutbox().count, 0)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                   [("event", "deal.created"), ("outcome", "not_propagated")]), 2)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_bot_deal_created_total"), 0)
    }

    func testSourceIsWriteOnce() throws {
        let id = try gateway.createDeal(#"{"name":"Sourced","source":"instagram"}"#)
        let same = try gateway.command("deal.updated", #"{"id":\#(id),"source":"instagram","stage":"Won"}"#)
        XCTAssertEqual(same.status, 200)
        XCTAssertEqual(same.json?["source"], "instagram")
        let changed = try gateway.command("deal.updated", #"{"id":\#(id),"source":"whatsapp","stage":"Lost"}"#)
        XCTAssertEqual(changed.status, 400)
        XCTAssertEqual(ClientResponseSummary(changed).fields, ["data.source"])
        XCTAssertEqual(try gateway.rows("SELECT stage, source FROM deals WHERE id = \(id)").first,
                       ["stage": "Won", "source": "instagram"], "nothing of the rejected update is written")
    }

    func testSpecialCharactersInNamesAndRoomIDsRoundTrip() throws {
        let name = #"Café \"Kopi\" & Teh — 日本 🚀 <b>"#
        let response = try gateway.command("deal.created",
                                           #"{"name":"\#(name)","room_id":"room/with space?&","creator_flag":"bot"}"#)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertEqual(response.json?["name"]?.stringValue, name.replacingOccurrences(of: "\\\"", with: "\""))
        fixture.waitForSettledTimeline()
        let id = try XCTUnwrap(response.json?["id"]?.int64Value)
        XCTAssertEqual(try fixture.timeline("deal", id).first?["room_deeplink"],
                       "https://chat.test/rooms/room%2Fwith%20space%3F%26")
        XCTAssertEqual(fixture.events(1).first?.json?["room_id"], "room/with space?&")
    }
}
