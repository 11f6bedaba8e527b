import Configuration
import Delivery
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// Changes made through `/v1` are made as the caller — its credential names the actor, a body cannot — and each is in
/// the audit log, written with the change: a refused change leaves neither.
final class AuditedChangesTests: XCTestCase {
    private func audit(_ gateway: TestGateway, action: String) throws -> [[String: String]] {
        try gateway.rows("""
            SELECT actor, credential_id, subject_type, subject_id, detail FROM audit_events WHERE action = ? ORDER BY id
            """, [.text(action)])
    }

    func testRecordsTicketsContactsAndOutletsAreChangedAsTheCaller() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        let sales = try gateway.token(role: "sales", name: "crm-bot")
        let agent = try gateway.token(role: "agent", name: "agent-7")
        let salesID = try XCTUnwrap(try gateway.rows("SELECT id FROM api_tokens WHERE name = 'crm-bot'").first?["id"])

        let deal = try gateway.admin("POST", "/v1/deals", body: #"{"name": "Lead", "room_id": "r1"}"#, token: sales)
        XCTAssertEqual(deal.status, 201, deal.text)
        let dealID = try XCTUnwrap(deal.json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/deals/\(dealID)", body: #"{"stage": "won"}"#, token: sales).status,
                       200)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/\(dealID)", token: sales).status, 204)
        for action in ["deal.created", "deal.updated", "deal.deleted"] {
            let rows = try audit(gateway, action: action)
            XCTAssertEqual(rows.count, 1, action)
            XCTAssertEqual(rows.first?["actor"], "crm-bot")
            XCTAssertEqual(rows.first?["credential_id"], "token:\(salesID)")
            XCTAssertEqual(rows.first?["subject_id"], String(dealID))
        }

        let ticket = try gateway.openTicket("my card machine is broken")
        let moved = try gateway.admin("POST", "/v1/tickets/\(ticket)/status", body: #"{"status": "pending"}"#,
                                      token: agent)
        XCTAssertEqual(moved.status, 200, moved.text)
        let history = try gateway.ticketList(ticket, "history")
        XCTAssertEqual(history.last?["actor"]?.stringValue, "agent-7", "the actor comes from the credential")
        let impostor = try gateway.admin("POST", "/v1/tickets/\(ticket)/notes",
                                         body: #"{"text": "x", "actor": "supervisor"}"#, token: agent)
        XCTAssertEqual(impostor.status, 400)
        XCTAssertEqual(impostor.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, "actor")
        XCTAssertEqual(try gateway.ticketList(ticket, "notes").count, 0)
        XCTAssertEqual(try audit(gateway, action: "ticket.notes").count, 0, "a refused change is not audited")
        let note = try gateway.admin("POST", "/v1/tickets/\(ticket)/notes",
                                     body: #"{"text": "called the merchant", "actor": "agent-7"}"#, token: agent)
        XCTAssertEqual(note.status, 201, "a body may still name the caller itself")
        let status = try audit(gateway, action: "ticket.status")
        XCTAssertEqual(status.first?["actor"], "agent-7")
        XCTAssertEqual(status.first?["detail"], #"{"status":"pending"}"#)
        let notes = try audit(gateway, action: "ticket.notes")
        XCTAssertFalse(notes.first?["detail"]?.contains("merchant") ?? true, "never the note's text")

        let contact = try XCTUnwrap(try gateway.rows("SELECT public_id FROM customers").first?["public_id"])
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(contact)",
                                         body: #"{"emails": ["aisyah@example.com"]}"#, token: agent).status, 200)
        let contactAudit = try audit(gateway, action: "contact.updated")
        XCTAssertEqual(contactAudit.first?["subject_id"], contact)
        XCTAssertFalse(contactAudit.description.contains("aisyah"), "no identifiers in the audit log")

        let push = #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Co Bangsar", "phones": ["012-3456789"], "#
            + #""expiry_date": "2026-12-31", "status": "active"}"#
        let pushed = try gateway.admin("POST", "/v1/pos/outlets/O1", body: push)
        XCTAssertEqual(pushed.status, 201, pushed.text)
        let outlet = try audit(gateway, action: "outlet.pushed")
        XCTAssertEqual(outlet.first?["subject_id"], "O1")
        XCTAssertEqual(outlet.first?["actor"], "admin")
        XCTAssertEqual(outlet.first?["credential_id"], "bootstrap")
    }

    func testDeliveryMachineryChangesAreAudited() throws {
        let sink = try StubSink { _, _ in .status(400) }
        defer { sink.stop() }
        let gateway = try TestGateway { config in
            config.outbound[url: .omnichannel] = sink.url + "/events"
            config.outbound.pollIntervalMilliseconds = 50
        }
        defer { gateway.shutdown() }
        let sent = try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count": 1}"#)
        XCTAssertEqual(sent.status, 202)
        let tested = try audit(gateway, action: "endpoint.test_events")
        XCTAssertEqual(tested.first?["subject_id"], "omnichannel")
        XCTAssertTrue(tested.first?["detail"]?.contains(#""count":1"#) ?? false)

        eventually("dead-lettered") { try gateway.rows("SELECT id FROM dead_letters").count == 1 }
        let letter = try XCTUnwrap(try gateway.rows("SELECT id FROM dead_letters").first?["id"])
        XCTAssertEqual(try gateway.admin("POST", "/v1/dead-letters/\(letter)/replay").status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/dead-letters/999/replay").status, 404)
        let replayed = try audit(gateway, action: "dead_letter.replayed")
        XCTAssertEqual(replayed.map { $0["subject_id"] }, [letter], "the unknown one is not audited")

        XCTAssertEqual(try gateway.admin("POST", "/v1/endpoints/omnichannel/enable").status, 200)
        XCTAssertEqual(try audit(gateway, action: "endpoint.enabled").first?["subject_id"], "omnichannel")
    }
}
