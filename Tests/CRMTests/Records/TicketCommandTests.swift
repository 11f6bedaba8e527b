import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Tickets created, updated and deleted by bots and AI, with the ticket's own fields and
/// its own event shape.
final class TicketCommandTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    func testBotCreatesTicketWithItsFieldsTimelineAndEvent() throws {
        try gateway.addContacts("c-9")
        let response = try gateway.command("ticket.created", #"""
            {"name":"Printer jammed","status":"open","pipeline":"Support","stage":"Triage","owner":"u-1",
             "assignee":"u-2","priority":"urgent","reporter":"c-9","due_at":"2026-07-01T09:30:00+07:00",
             "sla_status":"on_track","room_id":"room-t","contact_id":"c-9","creator_flag":"agentic_ai"}
            """#, path: "/webhooks/agent")
        XCTAssertEqual(response.status, 201, response.text)
        let ticket = try XCTUnwrap(response.json)
        let id = try XCTUnwrap(ticket["id"]?.int64Value)
        XCTAssertEqual(ticket["status"], "open")
        XCTAssertEqual(ticket["assignee"], "u-2")
        XCTAssertEqual(ticket["reporter"], "c-9")
        XCTAssertEqual(ticket["due_at"], "2026-07-01T09:30:00+07:00")
        XCTAssertEqual(ticket["sla_status"], "on_track")
        XCTAssertEqual(ticket["contact_id"], "c-9")
        XCTAssertEqual(ticket["creator_label"], "AI")
        XCTAssertEqual(ticket["external_url"]?.stringValue, "https://crm.test/crm/tickets/\(id)")
        XCTAssertEqual(try fixture.room("room-t")?["ticket"], ticket)

        let event = try XCTUnwrap(fixture.events(1).first)
        XCTAssertEqual(event.method, "POST")
        XCTAssertEqual(event.path, "/omnichannel/tickets")
        XCTAssertEqual(event.json?["event"], "ticket.created")
        XCTAssertEqual(event.json?["room_id"], "room-t")
        XCTAssertEqual(event.json?["crm_ticket_id"]?.stringValue, String(id))
        XCTAssertEqual(event.json?["crm_unique_ticket_id"], ticket["unique_id"])
        XCTAssertEqual(event.json?["crm_ticket_name"], "Printer jammed")
        XCTAssertEqual(event.json?["status"], "open")

        fixture.waitForSettledTimeline()
        XCTAssertEqual(try fixture.timeline("ticket", id).first?["creator_label"], "AI")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ai_ticket_created_total"), 1)
    }

    func testTicketPreviewWithoutPipelineAndDateOnlyDueAt() throws {
        let response = try gateway.command("ticket.created",
                                           #"{"name":"Quick","due_at":"2026-07-01","room_id":"room-q","creator_flag":"bot"}"#)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertEqual(response.json?["pipeline"], .null)
        XCTAssertEqual(fixture.events(1).first?.json?["status"], .null)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_bot_ticket_created_total"), 1)
    }

    func testTicketUpdateSendsAnEventOnlyForNameOrStatus() throws {
        let id = try gateway.createTicket(#"{"name":"T","status":"open","room_id":"room-u","creator_flag":"bot"}"#)
        fixture.events(1)
        let priority = try gateway.command("ticket.updated", #"{"id":\#(id),"priority":"low","creator_flag":"bot"}"#)
        XCTAssertEqual(priority.status, 200)
        XCTAssertEqual(priority.json?["priority"], "low")
        let status = try gateway.command("ticket.updated", #"{"id":\#(id),"status":"solved","creator_flag":"bot"}"#)
        XCTAssertEqual(status.json?["version"], 3)
        let events = fixture.events(2)
        XCTAssertEqual(events.count, 2, "the priority change is not shown in the preview, so no event")
        XCTAssertEqual(events[1].method, "PUT")
        XCTAssertEqual(events[1].path, "/omnichannel/tickets/\(id)")
        XCTAssertEqual(events[1].webhookID, "omnichannel:ticket:\(id):v3")
        XCTAssertEqual(events[1].json?["status"], "solved")
        XCTAssertEqual(events[1].json?["changed"], ["status"])
        XCTAssertEqual(events[1].json?["version"], 3)
    }

    func testTicketDeleteEmptiesTheRoomAndTellsOmnichannel() throws {
        let id = try gateway.createTicket(#"{"name":"T","room_id":"room-x","creator_flag":"bot"}"#)
        let deleted = try gateway.command("ticket.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#)
        XCTAssertEqual(deleted.status, 204)
        XCTAssertEqual(deleted.body, [])
        XCTAssertEqual(try fixture.room("room-x")?["ticket"], .null)
        let events = fixture.events(2)
        XCTAssertEqual(events[1].method, "DELETE")
        XCTAssertEqual(events[1].path, "/omnichannel/tickets/\(id)")
        XCTAssertEqual(events[1].json, ["event": "ticket.deleted", "room_id": "room-x", "crm_ticket_id": .string(String(id))])
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").status, 404)
    }

    func testTicketFieldsAreValidated() throws {
        let response = try gateway.command("ticket.created", #"""
            {"name":"x","due_at":"next tuesday","status":{"a":1},"approval_status":"n/a","assignee":""}
            """#)
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(ClientResponseSummary(response).fields.sorted(),
                       ["data.approval_status", "data.assignee", "data.due_at", "data.status"])
        XCTAssertEqual(try gateway.count("tickets"), 0)
    }
}
