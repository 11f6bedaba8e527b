import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// A conversation ticket learns its outlet (FID/OID) from the customer's phone through the POS data, or
/// from the customer's earlier link; without a match it waits in the agents' unlinked queue.
final class TicketOutletResolutionTests: WhatsAppGatewayTestCase {
    func testOneMatchingOutletLinksTheTicketAutomatically() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60123456789"])
        try gateway.pushOutlet("O2", name: "Kopi Co Subang", phones: ["+60199999999"])
        let id = try gateway.openTicket("my printer is broken")
        let ticket = try gateway.ticket(id)
        XCTAssertEqual(ticket["fid"], "F1")
        XCTAssertEqual(ticket["oid"], "O1")
        XCTAssertEqual(ticket["outlet_status"], "linked")
        XCTAssertEqual(ticket["outlet_name"], "Kopi Co Bangsar")
        let contact = try XCTUnwrap(ticket["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.contactOutlets(), ["\(contact)|O1|phone"])

        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(JSONValue.array(history).actions, ["opened", "outlet_linked"])
        XCTAssertEqual(history.last?["actor"], "outlet-resolver")
        XCTAssertEqual(history.last?["from"], .null)
        XCTAssertEqual(history.last?["to"], "O1")
        XCTAssertEqual(history.last?["detail"],
                       ["fid": "F1", "oid": "O1", "outlet_name": "Kopi Co Bangsar", "method": "phone"])
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0, "nobody is asked")
        XCTAssertEqual(gateway.outletResolutions("linked"), 1)
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=linked").count, 1)

        try gateway.customerSays("any news?")
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened", "outlet_linked"],
                       "a linked ticket is not resolved again")
        XCTAssertEqual(gateway.outletResolutions("linked"), 1)

        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar Baru", phones: ["+60123456789"])
        XCTAssertEqual(try gateway.ticket(id)["outlet_name"], "Kopi Co Bangsar Baru", "a POS rename shows at once")
    }

    func testPhonesWrittenOtherwiseInThePOSStillMatch() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["012-345 6789"])
        try gateway.pushOutlet("O2", name: "Kopi Co Subang", phones: ["0060 19-999 9999"])
        try gateway.customerSays("hello", phone: "60123456789", name: "Aisyah")
        try gateway.customerSays("hello", phone: "60199999999", name: "Badrul")
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(tickets.compactMap { $0["oid"]?.stringValue }, ["O2", "O1"], "newest first")
        XCTAssertEqual(tickets.compactMap { $0["outlet_status"]?.stringValue }, ["linked", "linked"])
    }

    func testNoMatchWaitsInTheUnlinkedQueueAndIsResolvedWhenPOSDataArrives() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60199999999"])
        let id = try gateway.openTicket()
        var ticket = try gateway.ticket(id)
        XCTAssertEqual(ticket["outlet_status"], "unlinked")
        XCTAssertEqual(ticket["oid"], .null)
        XCTAssertEqual(ticket["outlet_name"], .null)
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=unlinked").compactMap { $0["id"]?.int64Value },
                       [id])
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=ambiguous").count, 0)
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened"],
                       "finding nothing is no change of the ticket")
        XCTAssertEqual(try gateway.contactOutlets(), [])
        try gateway.customerSays("still there?")
        XCTAssertEqual(gateway.outletResolutions("unlinked"), 1, "counted once per ticket")

        // The POS learns the number later (a push; an import or the daily pull write the same tables).
        try gateway.pushOutlet("O2", name: "Kopi Co Subang", phones: ["+60123456789"])
        try gateway.customerSays("hello again")
        ticket = try gateway.ticket(id)
        XCTAssertEqual(ticket["outlet_status"], "linked")
        XCTAssertEqual(ticket["oid"], "O2")
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=unlinked").count, 0)
        XCTAssertEqual(gateway.outletResolutions("linked"), 1)
    }

    func testSenderKnownOnlyByBSUIDStaysUnlinked() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60123456789"])
        try gateway.customerSays("hello", phone: nil, bsuid: "MY.1502576394655843")
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["outlet_status"], "unlinked")
        XCTAssertEqual(ticket["oid"], .null)
    }

    func testFilterValuesAreChecked() throws {
        let response = try gateway.admin("GET", "/v1/tickets?outlet_status=maybe")
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(response.json?["errors"]?.at(0)?["field"], "outlet_status")
        XCTAssertEqual(response.json?["errors"]?.at(0)?["message"], "must be one of unlinked, linked, ambiguous")
    }

    func testANewTicketReusesTheNewestLinkOfItsCustomer() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60123456789"])
        try gateway.pushOutlet("O2", name: "Kopi Co Subang", phones: [])
        let first = try gateway.openTicket()
        XCTAssertEqual(try gateway.ticket(first)["oid"], "O1")
        gateway.advance(minutes: 1)
        // The agent knows better: the customer now speaks for O2 (the phone still lists only O1).
        XCTAssertEqual(try gateway.linkOutlet(first, #"{"oid": "O2", "actor": "agent-1"}"#).status, 200)
        try gateway.ticketAction(first, "status", #"{"status": "closed", "actor": "agent-1"}"#)

        try gateway.customerSays("new problem")
        let second = try XCTUnwrap(gateway.conversationTickets().first)
        let id = try XCTUnwrap(second["id"]?.int64Value)
        XCTAssertNotEqual(id, first)
        XCTAssertEqual(second["oid"], "O2", "the newest link wins over the phone")
        XCTAssertEqual(try gateway.ticketList(id, "history").last?["detail"]?["method"], "contact_outlet")
        let contact = try XCTUnwrap(second["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.contactOutlets(), ["\(contact)|O1|phone", "\(contact)|O2|manual"],
                       "reusing a link records nothing new")
    }
}
