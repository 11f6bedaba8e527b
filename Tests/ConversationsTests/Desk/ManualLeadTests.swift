import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Leads entered by hand (`POST /v1/leads`): the contact found or made by phone, a lead ticket in the sales queue,
/// the customer's first WhatsApp message landing on it; a lead without a phone is refused with nothing written.
final class ManualLeadTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway.tickets() }
    override func tearDown() { gateway = nil }

    func testALeadEnteredByHandOpensASalesTicketThatTheCustomersMessagesJoin() throws {
        let sales = try gateway.token(role: "sales", name: "sales-1")
        let created = try gateway.admin("POST", "/v1/leads", body: #"""
            {"phone": "+60 12-345 6789", "name": "Ravi Kumar", "business": "Ravi Mart", "interest": "Loyalty", "source": "phone_call"}
            """#, token: sales)
        XCTAssertEqual(created.status, 201, created.text)
        let ticketID = try XCTUnwrap(created.json?["ticket_id"]?.int64Value)
        let contactID = try XCTUnwrap(created.json?["contact_id"]?.stringValue)
        XCTAssertEqual(created.json?["lead"], ["ticket_id": .integer(ticketID), "contact_id": .string(contactID),
                                               "name": "Ravi Kumar", "business": "Ravi Mart", "interest": "Loyalty",
                                               "source": "phone_call", "language": .null, "awaiting": .null])
        let ticket = try gateway.ticket(ticketID)
        XCTAssertEqual(ticket["kind"], "lead")
        XCTAssertEqual(ticket["queue"], "sales")
        XCTAssertEqual(ticket["status"], "open")
        let contact = try XCTUnwrap(gateway.admin("GET", "/v1/contacts/\(contactID)").json)
        XCTAssertEqual(contact["name"], "Ravi Kumar")
        XCTAssertEqual(contact["fields"], ["company": "Ravi Mart", "source": "Phone call"])
        XCTAssertEqual(try gateway.rows("SELECT actor, subject_id FROM audit_events WHERE action = 'lead.created'"),
                       [["actor": "sales-1", "subject_id": String(ticketID)]])

        try gateway.customerSays("Hi, Ravi here", name: "Ravi")
        XCTAssertEqual(try gateway.count("tickets"), 1, "the customer's message joins the lead ticket")
        XCTAssertEqual(try gateway.count("ticket_messages", "ticket_id = \(ticketID) AND direction = 'in'"), 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(contactID)").json?["name"], "Ravi Kumar")
    }

    func testAnUnknownSourceIsAManualEntryAndAKnownPhoneKeepsItsContact() throws {
        try gateway.customerSays("hello")
        let existing = try XCTUnwrap(gateway.admin("GET", "/v1/contacts?phone=%2B60123456789").json?["id"])
        let created = try gateway.admin("POST", "/v1/leads", body: #"{"phone": "60123456789", "source": "fair"}"#)
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.json?["contact_id"], existing)
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(existing.stringValue ?? "")").json?["fields"]?["source"],
                       "Manual entry")
    }

    func testALeadWithoutAPhoneIsRefusedNamingItAndNothingIsWritten() throws {
        let cases: [(String, [String])] = [
            (#"{"name": "Ravi"}"#, ["phone"]),
            (#"{"phone": "not a phone"}"#, ["phone"]),
            (#"{"phone": 60123456789}"#, ["phone"]),
            (#"{"phone": "+60123456789", "name": "", "colour": "red"}"#, ["colour", "name"]),
        ]
        for (body, fields) in cases {
            let response = try gateway.admin("POST", "/v1/leads", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
            XCTAssertEqual(ClientResponseSummary(response).fields, fields, body)
        }
        XCTAssertEqual(try gateway.count("tickets"), 0)
        XCTAssertEqual(try gateway.count("customers"), 0)
        XCTAssertEqual(try gateway.count("leads"), 0)
    }
}
