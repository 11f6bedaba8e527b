import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// A chatbot built on the CRM's ticket form names a ticket's fields `crm_ticket_name`, `crm_ticket_id` and
/// `crm_unique_ticket_id`: they are accepted as other names of `name`, `id` and `unique_id`, and every error names the
/// key as it was sent.
final class TicketPayloadAliasTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    private func message(_ response: ClientResponse, _ field: String) -> String {
        response.json?["errors"]?.arrayValue?.first { $0["field"]?.stringValue == field }?["message"]?.stringValue ?? ""
    }

    func testCRMTicketNameCreatesTheTicketAndTheAnswerCarriesItsIDs() throws {
        let response = try gateway.command("ticket.created",
                                           #"{"crm_ticket_name":"Card reader broken","room_id":"r-a","creator_flag":"bot"}"#)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertEqual(response.json?["name"], "Card reader broken")
        XCTAssertNotNil(response.json?["id"]?.int64Value)
        XCTAssertEqual(response.json?["unique_id"]?.stringValue?.count, 36)
        let same = try gateway.command("ticket.created", #"{"name":"Same","crm_ticket_name":"Same"}"#)
        XCTAssertEqual(same.status, 201, same.text)
    }

    func testNameAndCRMTicketNameThatDifferAreRefusedNamingBoth() throws {
        let response = try gateway.command("ticket.created", #"{"name":"One","crm_ticket_name":"Two"}"#)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(ClientResponseSummary(response).fields, ["data.crm_ticket_name"])
        XCTAssertTrue(message(response, "data.crm_ticket_name").contains("differs from name"), response.text)
        XCTAssertEqual(try gateway.count("tickets"), 0)
    }

    func testErrorsNameTheAliasAsSent() throws {
        let response = try gateway.command("ticket.created", #"{"crm_ticket_name":5}"#)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(ClientResponseSummary(response).fields, ["data.crm_ticket_name"])
        XCTAssertTrue(message(response, "data.crm_ticket_name").contains("must be a string"), response.text)
    }

    func testIDsOnCreateAreRefusedBecauseTheGatewayAssignsThem() throws {
        for key in ["crm_ticket_id", "crm_unique_ticket_id", "id", "unique_id"] {
            let response = try gateway.command("ticket.created", #"{"name":"T","\#(key)":"12"}"#)
            XCTAssertEqual(response.status, 400, response.text)
            XCTAssertEqual(ClientResponseSummary(response).fields, ["data.\(key)"])
            XCTAssertTrue(message(response, "data.\(key)").contains("is assigned by the gateway"), response.text)
        }
        let rest = try gateway.admin("POST", "/v1/tickets", body: #"{"name":"T","crm_ticket_id":7}"#)
        XCTAssertEqual(rest.status, 400, rest.text)
        XCTAssertEqual(ClientResponseSummary(rest).fields, ["crm_ticket_id"])
        XCTAssertEqual(try gateway.count("tickets"), 0)
    }

    func testUpdateAndDeleteByCRMTicketIDOrCRMUniqueTicketID() throws {
        let created = try gateway.command("ticket.created", #"{"crm_ticket_name":"T","status":"open"}"#)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value)
        let uniqueID = try XCTUnwrap(created.json?["unique_id"]?.stringValue)

        let byID = try gateway.command("ticket.updated", #"{"crm_ticket_id":\#(id),"status":"pending"}"#)
        XCTAssertEqual(byID.status, 200, byID.text)
        XCTAssertEqual(byID.json?["status"], "pending")
        let byText = try gateway.command("ticket.updated", #"{"crm_ticket_id":"\#(id)","id":\#(id),"status":"held"}"#)
        XCTAssertEqual(byText.status, 200, byText.text)
        let byUnique = try gateway.command("ticket.updated",
                                           #"{"crm_unique_ticket_id":"\#(uniqueID)","crm_ticket_name":"Renamed"}"#)
        XCTAssertEqual(byUnique.status, 200, byUnique.text)
        XCTAssertEqual(byUnique.json?["name"], "Renamed")
        XCTAssertEqual(byUnique.json?["id"]?.int64Value, id)

        let deleted = try gateway.command("ticket.deleted", #"{"crm_unique_ticket_id":"\#(uniqueID)"}"#)
        XCTAssertEqual(deleted.status, 204, deleted.text)
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").status, 404)
    }

    func testAnIDAndAUniqueIDOfDifferentTicketsAreRefused() throws {
        let first = try gateway.createTicket(#"{"name":"First","status":"open"}"#)
        let second = try gateway.command("ticket.created", #"{"name":"Second"}"#)
        let otherUniqueID = try XCTUnwrap(second.json?["unique_id"]?.stringValue)
        let response = try gateway.command("ticket.updated", #"""
            {"crm_ticket_id":\#(first),"crm_unique_ticket_id":"\#(otherUniqueID)","status":"closed"}
            """#)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(ClientResponseSummary(response).fields, ["data.crm_unique_ticket_id"])
        XCTAssertTrue(message(response, "data.crm_unique_ticket_id").contains("than id \(first)"), response.text)
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(first)").json?["status"], "open")

        let patched = try gateway.admin("PATCH", "/v1/tickets/\(first)",
                                        body: #"{"crm_unique_ticket_id":"\#(otherUniqueID)","status":"closed"}"#)
        XCTAssertEqual(patched.status, 400, patched.text)
        XCTAssertEqual(ClientResponseSummary(patched).fields, ["crm_unique_ticket_id"])
        let restID = try gateway.admin("PATCH", "/v1/tickets/\(first)", body: #"{"crm_ticket_id":\#(first)}"#)
        XCTAssertEqual(restID.status, 400, restID.text)
        XCTAssertEqual(ClientResponseSummary(restID).fields, ["crm_ticket_id"])
    }

    func testUnknownUniqueIDIsNotFoundAndAMissingReferenceIsNamed() throws {
        let unknown = try gateway.command("ticket.updated",
                                          #"{"crm_unique_ticket_id":"0190aaaa-0000-7000-8000-000000000000","status":"x"}"#)
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let missing = try gateway.command("ticket.updated", #"{"status":"x"}"#)
        XCTAssertEqual(missing.status, 400, missing.text)
        XCTAssertEqual(ClientResponseSummary(missing).fields, ["data.id"])
        let null = try gateway.command("ticket.deleted", #"{"crm_ticket_id":null}"#)
        XCTAssertEqual(null.status, 400, null.text)
        XCTAssertEqual(ClientResponseSummary(null).fields, ["data.crm_ticket_id"])
    }

    func testTicketsCanBeLookedUpByUniqueIDUnderEitherName() throws {
        _ = try gateway.createTicket(#"{"name":"Other"}"#)
        let created = try gateway.command("ticket.created", #"{"name":"Wanted"}"#)
        let uniqueID = try XCTUnwrap(created.json?["unique_id"]?.stringValue)
        for parameter in ["unique_id", "crm_unique_ticket_id"] {
            let list = try gateway.admin("GET", "/v1/tickets?\(parameter)=\(uniqueID)")
            XCTAssertEqual(list.status, 200, list.text)
            XCTAssertEqual(list.json?["items"]?.arrayValue?.map { $0["name"] }, ["Wanted"], parameter)
        }
        let conflicting = try gateway.admin("GET", "/v1/tickets?unique_id=a&crm_unique_ticket_id=b")
        XCTAssertEqual(conflicting.status, 400, conflicting.text)
        XCTAssertEqual(ClientResponseSummary(conflicting).fields, ["crm_unique_ticket_id"])
        let deals = try gateway.admin("GET", "/v1/deals?unique_id=\(uniqueID)")
        XCTAssertEqual(deals.json?["items"], [])
    }
}
