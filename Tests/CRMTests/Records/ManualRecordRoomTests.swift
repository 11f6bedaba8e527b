import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// Rooms, timeline entries and Omnichannel events are for bot- and AI-created records only: a record created by hand
/// (REST, or a webhook without a bot/AI `creator_flag`) keeps its `room_id` as data, never takes the room's slot,
/// gets no timeline entry and causes no Chat Panel call — so the bot's record the room shows keeps being refreshed.
final class ManualRecordRoomTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    func testAManualDealLeavesTheBotDealInTheRoomAndItsUpdatesStillReachOmnichannel() throws {
        let bot = try gateway.createDeal(#"{"name":"Bot deal","room_id":"r1","creator_flag":"bot"}"#)
        fixture.events(1)
        gateway.advanceClock(milliseconds: 5)
        let manual = try gateway.admin("POST", "/v1/deals", body: #"{"name":"Manual deal","room_id":"r1"}"#)
        XCTAssertEqual(manual.status, 201, manual.text)
        XCTAssertEqual(manual.json?["room_id"], "r1", "the manual record keeps its room_id as data")
        let manualID = try XCTUnwrap(manual.json?["id"]?.int64Value)

        let patched = try gateway.admin("PATCH", "/v1/deals/\(bot)", body: #"{"stage":"Won"}"#)
        XCTAssertEqual(patched.status, 200, patched.text)
        let events = fixture.events(2)
        guard events.count == 2 else { return XCTFail("Omnichannel did not receive the bot deal's update") }
        XCTAssertEqual(events[1].method, "PUT")
        XCTAssertEqual(events[1].path, "/omnichannel/deals/\(bot)")
        XCTAssertEqual(events[1].json?["stage"], "Won")
        XCTAssertEqual(try fixture.room("r1")?["deal"]?["id"]?.int64Value, bot)

        fixture.waitForSettledTimeline()
        XCTAssertEqual(try fixture.timeline("deal", manualID), [], "no bot timeline entry for a manual record")
        XCTAssertEqual(try fixture.timeline("deal", bot).count, 1)
        XCTAssertEqual(fixture.chatPanel.received.count, 1, "only the bot deal fetches chat history")
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.count, 2, "the manual deal sends nothing")
    }

    func testAWebhookRecordWithoutABotFlagIsManualToo() throws {
        let bot = try gateway.createTicket(#"{"name":"Bot ticket","room_id":"r2","creator_flag":"agentic_ai"}"#)
        gateway.advanceClock(milliseconds: 5)
        for flag in [nil, "crm_automation"] {
            let creator = flag.map { #","creator_flag":"\#($0)""# } ?? ""
            _ = try gateway.createTicket(#"{"name":"Other","room_id":"r2"\#(creator)}"#)
        }
        XCTAssertEqual(try fixture.room("r2")?["ticket"]?["id"]?.int64Value, bot)
        XCTAssertEqual(try gateway.count("timeline_entries", "room_id = 'r2'"), 1)
        fixture.events(1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.count, 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                   [("event", "ticket.created"), ("outcome", "not_propagated")]), 2)
    }

    func testDeletingAManualRecordLeavesTheRoomAlone() throws {
        let bot = try gateway.createDeal(#"{"name":"Bot deal","room_id":"r3","creator_flag":"bot"}"#)
        let manual = try gateway.createDeal(#"{"name":"Manual","room_id":"r3"}"#)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/\(manual)").status, 204)
        XCTAssertEqual(try fixture.room("r3")?["deal"]?["id"]?.int64Value, bot)
        fixture.events(1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.map(\.method), ["POST"])
    }
}

/// Migration 14 gives back the room slots that manual records took under earlier versions.
final class RoomSlotRepairMigrationTests: XCTestCase {
    func testSlotsHeldByManualRecordsGoBackToTheNewestLiveBotRecord() throws {
        let database = try DatabaseBeforeMigration(version: 14)
        let old = database.connection
        // Room a: bot deal 1, newer bot deal 2 (deleted), bot deal 3, then manual deal 4 took the slot.
        // Room b: only a manual deal 5 in the slot. Room c: bot deal 6 in its slot, untouched. Room d: a manual
        // ticket and no bot ticket.
        try old.execute("""
            INSERT INTO deals (id, unique_id, name, room_id, creator_flag, source, origin, created_at, updated_at,
                               deleted_at) VALUES
                (1, 'u1', 'a bot old', 'a', 'bot', 's', 'chatbot', 10, 10, NULL),
                (2, 'u2', 'a bot deleted', 'a', 'bot', 's', 'chatbot', 30, 30, 31),
                (3, 'u3', 'a bot newest live', 'a', 'agentic_ai', 's', 'agent', 20, 20, NULL),
                (4, 'u4', 'a manual', 'a', NULL, 's', 'rest', 40, 40, NULL),
                (5, 'u5', 'b manual', 'b', 'someone', 's', 'rest', 50, 50, NULL),
                (6, 'u6', 'c bot', 'c', 'bot', 's', 'chatbot', 60, 60, NULL);
            INSERT INTO tickets (id, unique_id, name, room_id, creator_flag, source, origin, created_at, updated_at)
                VALUES (1, 't1', 'd manual', 'd', NULL, 's', 'rest', 70, 70);
            INSERT INTO room_previews (room_id, kind, record_id, record_created_at, updated_at) VALUES
                ('a', 'deal', 4, 40, 40), ('b', 'deal', 5, 50, 50), ('c', 'deal', 6, 60, 60),
                ('d', 'ticket', 1, 70, 70);
            """)
        XCTAssertEqual(try database.migrate().first, 14)
        let slots = try DatabaseInspector.rows(path: database.directory.appendingPathComponent("m.sqlite").path, sql: """
            SELECT room_id, kind, coalesce(record_id, '-') AS record_id, coalesce(record_created_at, '-') AS created
            FROM room_previews ORDER BY room_id
            """)
        XCTAssertEqual(slots, [
            ["room_id": "a", "kind": "deal", "record_id": "3", "created": "20"],
            ["room_id": "b", "kind": "deal", "record_id": "-", "created": "-"],
            ["room_id": "c", "kind": "deal", "record_id": "6", "created": "60"],
            ["room_id": "d", "kind": "ticket", "record_id": "-", "created": "-"],
        ])
        XCTAssertEqual(try old.queryOne("SELECT count(*) AS n FROM deals")?.int("n"), 6)
    }
}
