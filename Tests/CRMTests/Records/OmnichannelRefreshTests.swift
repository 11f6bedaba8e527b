import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPServer
import HTTPTesting
import Ingress
import XCTest

/// Omnichannel refresh events end to end through the outbox and the dispatcher: which changes reach Omnichannel,
/// in which order, and what happens when it fails.
final class OmnichannelRefreshTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    func testDealUpdateEventOnlyForNameStageOrPipeline() throws {
        let id = try gateway.createDeal(#"{"name":"D","stage":"New","room_id":"room-1","creator_flag":"bot"}"#)
        fixture.events(1)
        for data in [#""size":10"#, #""owner":"u-9","priority":"low""#, #""stage":"New""#] {
            XCTAssertEqual(try gateway.command("deal.updated", #"{"id":\#(id),\#(data),"creator_flag":"bot"}"#).status, 200)
        }
        let renamed = try gateway.command("deal.updated",
                                          #"{"id":\#(id),"name":"D2","stage":"Won","size":20,"creator_flag":"agentic_ai"}"#)
        XCTAssertEqual(renamed.status, 200)
        let events = fixture.events(2)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.count, 2)
        XCTAssertEqual(events[1].method, "PUT")
        XCTAssertEqual(events[1].path, "/omnichannel/deals/\(id)")
        XCTAssertEqual(events[1].json?["event"], "deal.updated")
        XCTAssertEqual(events[1].json?["name"], "D2")
        XCTAssertEqual(events[1].json?["stage"], "Won")
        XCTAssertEqual(events[1].json?["changed"], ["name", "stage"])
    }

    func testAgentsRESTEditsOfABotDealReachTheRoom() throws {
        // An edit in the CRM (here: a REST caller without creator_flag) of a bot-created deal refreshes the room:
        // the actor type is the record's own creator_flag.
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-2","creator_flag":"bot"}"#)
        fixture.events(1)
        let response = try gateway.admin("PATCH", "/v1/deals/\(id)", body: #"{"stage":"Won"}"#)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.json?["stage"], "Won")
        let events = fixture.events(2)
        XCTAssertEqual(events[1].method, "PUT")
        XCTAssertEqual(events[1].path, "/omnichannel/deals/\(id)")
        XCTAssertEqual(events[1].json?["stage"], "Won")
        XCTAssertEqual(events[1].json?["changed"], ["stage"])
        XCTAssertEqual(events[1].webhookID, "omnichannel:deal:\(id):v2")
        // And an agent's delete in the CRM empties the room.
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/\(id)").status, 204)
        XCTAssertEqual(fixture.events(3)[2].json, ["event": "deal.deleted", "room_id": "room-2",
                                                   "external_id": .string(String(id))])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                   [("event", "deal.updated"), ("outcome", "enqueued")]), 1)
    }

    func testAgentsRESTEditOfABotTicketReachesTheRoom() throws {
        let id = try gateway.createTicket(#"{"name":"T","status":"open","room_id":"room-2t","creator_flag":"agentic_ai"}"#)
        fixture.events(1)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/tickets/\(id)", body: #"{"status":"resolved"}"#).status, 200)
        let events = fixture.events(2)
        XCTAssertEqual(events[1].method, "PUT")
        XCTAssertEqual(events[1].path, "/omnichannel/tickets/\(id)")
        XCTAssertEqual(events[1].json?["status"], "resolved")
        XCTAssertEqual(events[1].json?["changed"], ["status"])
    }

    func testChangesOfAManuallyCreatedRecordAreAppliedButNotPropagated() throws {
        // No (or an unknown) creator_flag: the actor type is absent, so nothing reaches Omnichannel, whoever
        // edits it later — also a bot — and the gap is counted.
        let id = try gateway.createDeal(#"{"name":"Manual","room_id":"room-m"}"#)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/deals/\(id)", body: #"{"stage":"Won"}"#).status, 200)
        XCTAssertEqual(try gateway.command("deal.updated", #"{"id":\#(id),"name":"M2","creator_flag":"bot"}"#).status,
                       200)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/\(id)").status, 204)
        XCTAssertEqual(try gateway.omnichannelOutbox().count, 0)
        for event in ["deal.created", "deal.deleted"] {
            XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                       [("event", event), ("outcome", "not_propagated")]), 1, event)
        }
        XCTAssertEqual(gateway.app.metrics.counter("gateway_omnichannel_events_total",
                                                   [("event", "deal.updated"), ("outcome", "not_propagated")]), 2)
    }

    func testDeleteEmptiesTheRoomAndSendsADeleteEvent() throws {
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-3","creator_flag":"bot"}"#)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#).status, 204)
        let room = try XCTUnwrap(fixture.room("room-3"))
        XCTAssertEqual(room, ["room_id": "room-3", "deal": .null, "ticket": .null])
        let events = fixture.events(2)
        XCTAssertEqual(events.map(\.method), ["POST", "DELETE"])
        XCTAssertEqual(events[1].json, ["event": "deal.deleted", "room_id": "room-3", "external_id": .string(String(id))])
        // Deleting again: 204, nothing sent twice (the room stays empty).
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#).status, 204)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.count, 2)
    }

    func testDeletingASupersededDealLeavesTheRoomsPreviewAlone() throws {
        let old = try gateway.createDeal(#"{"name":"Old","room_id":"room-4","creator_flag":"bot"}"#)
        gateway.advanceClock(milliseconds: 5)
        let new = try gateway.createDeal(#"{"name":"New","room_id":"room-4","creator_flag":"bot"}"#)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(old),"creator_flag":"bot"}"#).status, 204)
        XCTAssertEqual(try fixture.room("room-4")?["deal"]?["id"]?.int64Value, new)
        // An update of the superseded deal is not shown anywhere, so nothing is sent either.
        fixture.events(2)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(fixture.omnichannel.received.map(\.method), ["POST", "POST"])
    }

    func testAnUpdateNeverOvertakesItsCreate() throws {
        // Omnichannel fails the create once: the update waits behind it in the room's queue.
        fixture.omnichannel.setScript { index, _ in index == 0 ? .status(503) : .status(200) }
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-5","creator_flag":"bot"}"#)
        fixture.events(1)
        XCTAssertEqual(try gateway.command("deal.updated", #"{"id":\#(id),"stage":"Won","creator_flag":"bot"}"#).status, 200)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(fixture.omnichannel.received.count, 1, "the update must not be sent before its create")
        gateway.advanceOutbound(seconds: 1)
        let events = fixture.events(3)
        XCTAssertEqual(events.map { $0.json?["event"]?.stringValue ?? "" }, ["deal.created", "deal.created", "deal.updated"])
        XCTAssertEqual(events[0].webhookID, events[1].webhookID, "the retry carries the same webhook-id")
    }

    func testPermanentOmnichannelFailureIsDeadLetteredAndCounted() throws {
        fixture.omnichannel.setScript { _, _ in .status(400, body: "room unknown") }
        _ = try gateway.createDeal(#"{"name":"D","room_id":"room-6","creator_flag":"bot"}"#)
        eventually("dead-lettered") { try gateway.count("dead_letters", "endpoint = 'omnichannel'") == 1 }
        XCTAssertEqual(gateway.app.metrics.counter("gateway_outbound_deliveries_total",
                                                   [("endpoint", "omnichannel"), ("outcome", "permanent")]), 1)
        // The deal and the room are unaffected: the preview is stale in Omnichannel only (the failure mode of a refresh event).
        XCTAssertEqual(try gateway.count("deals"), 1)
        XCTAssertNotNil(try fixture.room("room-6")?["deal"]?["id"]?.int64Value)
    }

    func testEventsCarryTheRequestsTraceparent() throws {
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let response = try gateway.request("POST", "/v1/deals", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("traceparent", traceparent),
        ], body: Array(#"{"name":"Traced","room_id":"room-7","creator_flag":"bot"}"#.utf8))
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertEqual(fixture.events(1).first?.headers["traceparent"], traceparent)
    }
}
