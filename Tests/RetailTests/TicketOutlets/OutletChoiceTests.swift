import Configuration
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import XCTest

/// A phone several outlets list makes the ticket ambiguous; the customer gets a WhatsApp list of them and
/// their pick links the ticket. Stale or invalid picks link nothing.
final class OutletChoiceTests: WhatsAppGatewayTestCase {
    /// Two outlets share the customer's phone, a third does not; the customer's first message opens a ticket.
    private func ambiguousTicket(file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        try gateway.pushOutlet("O2", name: "Kopi Co Sunway Pyramid Shopping Centre", phones: ["012-3456789"])
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60123456789", "+60111111111"])
        try gateway.pushOutlet("O3", name: "Kopi Co Subang", phones: ["+60199999999"])
        return try gateway.openTicket(file: file, line: line)
    }

    func testSeveralOutletsAskTheCustomerAndTheirPickLinksTheTicket() throws {
        let id = try ambiguousTicket()
        var ticket = try gateway.ticket(id)
        XCTAssertEqual(ticket["outlet_status"], "ambiguous")
        XCTAssertEqual(ticket["oid"], .null)
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=ambiguous").count, 1)
        let asked = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(asked["action"], "outlet_ambiguous")
        XCTAssertEqual(asked["detail"]?["candidates"], ["O1", "O2"])
        XCTAssertEqual(asked["detail"]?["offered"], ["O1", "O2"])

        let request = try XCTUnwrap(cloud.waitForRequests(1).first)
        XCTAssertEqual(request.path, "/v21.0/\(WhatsAppFixtures.phoneNumberID)/messages")
        XCTAssertEqual(request.text, #"{"interactive":{"action":{"button":"Choose outlet","sections":[{"rows":["#
            + #"{"description":"O1 · Kopi Co","id":"outlet:\#(id):O1","title":"Kopi Co Bangsar"},"#
            + #"{"description":"O2 · Kopi Co","id":"outlet:\#(id):O2","title":"Kopi Co Sunway Pyramid…"}]}]},"#
            + #""body":{"text":"Your number is registered with more than one outlet. Which outlet is this about?"},"#
            + #""type":"list"},"messaging_product":"whatsapp","recipient_type":"individual","to":"60123456789","#
            + #""type":"interactive"}"#)
        let message = try XCTUnwrap(gateway.rows("SELECT purpose, reference FROM whatsapp_outbound_messages").first)
        XCTAssertEqual(message, ["purpose": "outlet_choice", "reference": String(id)])

        try gateway.customerPicks("outlet:\(id):O2", title: "Kopi Co Sunway Pyramid…")
        ticket = try gateway.ticket(id)
        XCTAssertEqual(ticket["outlet_status"], "linked")
        XCTAssertEqual(ticket["fid"], "F1")
        XCTAssertEqual(ticket["oid"], "O2")
        XCTAssertEqual(ticket["outlet_name"], "Kopi Co Sunway Pyramid Shopping Centre")
        XCTAssertEqual(ticket["status"], "open")
        let contact = try XCTUnwrap(ticket["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.contactOutlets(), ["\(contact)|O2|customer_choice"])
        let linked = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(linked["action"], "outlet_linked")
        XCTAssertEqual(linked["actor"]?.stringValue, "customer:\(contact)")
        XCTAssertEqual(linked["detail"]?["method"], "customer_choice")
        // The pick is part of the conversation, but opens nothing and is not answered.
        XCTAssertEqual(try gateway.conversationTickets().count, 1)
        let messages = try gateway.ticketList(id, "messages")
        XCTAssertEqual(messages.map { $0["type"]?.stringValue }, ["text", "interactive"])
        XCTAssertEqual(messages.last?["text"], "Kopi Co Sunway Pyramid…")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 1)
        XCTAssertEqual(gateway.outletResolutions("ambiguous"), 1)
        XCTAssertEqual(gateway.outletResolutions("chosen"), 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_messages_total", [("outcome", "attached")]), 0,
                       "the ticket step never saw the pick")

        // The next ticket of the same customer takes the chosen outlet without asking again.
        try gateway.ticketAction(id, "status", #"{"status": "closed", "actor": "agent-1"}"#)
        try gateway.customerSays("another question")
        let next = try XCTUnwrap(gateway.conversationTickets().first)
        XCTAssertNotEqual(next["id"]?.int64Value, id)
        XCTAssertEqual(next["oid"], "O2")
        XCTAssertEqual(next["outlet_status"], "linked")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 1, "no second list")
        XCTAssertEqual(gateway.outletResolutions("ambiguous"), 1)
    }

    func testStaleOrInvalidPicksLinkNothingAndFlowOnAsMessages() throws {
        let id = try ambiguousTicket()
        func rejected(_ reason: String) -> Double {
            gateway.app.metrics.counter(TicketOutletMetrics.rejectedChoices, [("reason", reason)])
        }
        try gateway.customerPicks("outlet:\(id):O3")
        XCTAssertEqual(rejected("not_offered"), 1)
        try gateway.customerPicks("outlet:999999:O1")
        XCTAssertEqual(rejected("unknown_ticket"), 1)
        try gateway.customerPicks("outlet:\(id)")
        XCTAssertEqual(rejected("malformed"), 1)
        try gateway.customerPicks("menu:billing", title: "Billing")
        XCTAssertEqual(try gateway.ticket(id)["outlet_status"], "ambiguous")
        XCTAssertEqual(try gateway.ticketList(id, "messages").count, 5, "each reply was filed like a message")

        // Another customer cannot answer for this ticket: their reply is their own message, on their own ticket.
        try gateway.customerPicks("outlet:\(id):O1", phone: "60199999999")
        XCTAssertEqual(rejected("other_conversation"), 1)
        XCTAssertEqual(try gateway.conversationTickets().count, 2)

        // An agent links the ticket first; the customer's later pick from the old list is stale.
        XCTAssertEqual(try gateway.linkOutlet(id, #"{"oid": "O1", "actor": "agent-1"}"#).status, 200)
        try gateway.customerPicks("outlet:\(id):O2")
        XCTAssertEqual(rejected("not_ambiguous"), 1)
        XCTAssertEqual(try gateway.ticket(id)["oid"], "O1")
        XCTAssertFalse(try gateway.contactOutlets().contains { $0.hasSuffix("customer_choice") })
        XCTAssertEqual(gateway.outletResolutions("chosen"), 0)
    }

    func testMoreThanTenOutletsOfferTheFirstTenByName() throws {
        for n in (1...12).reversed() {
            try gateway.pushOutlet(String(format: "X%02d", 13 - n), name: String(format: "Outlet %02d", n),
                                   phones: ["+60123456789"])
        }
        let id = try gateway.openTicket()
        let request = try XCTUnwrap(cloud.waitForRequests(1).first)
        let list = try XCTUnwrap(JSONParser.parseText(request.text)?["interactive"])
        let rows = list["action"]?["sections"]?.at(0)?["rows"]?.arrayValue ?? []
        XCTAssertEqual(rows.compactMap { $0["title"]?.stringValue }, (1...10).map { String(format: "Outlet %02d", $0) })
        XCTAssertEqual(rows.first?["id"]?.stringValue, "outlet:\(id):X12")
        XCTAssertEqual(list["footer"]?["text"], "10 of 12 outlets shown. Not listed? Just reply.")
        let asked = try XCTUnwrap(gateway.ticketList(id, "history").last?["detail"])
        XCTAssertEqual(asked["candidates"]?.arrayValue?.count, 12)
        XCTAssertEqual(asked["offered"]?.arrayValue?.count, 10)

        try gateway.customerPicks("outlet:\(id):X01")  // "Outlet 12": not in the list
        XCTAssertEqual(gateway.app.metrics.counter(TicketOutletMetrics.rejectedChoices, [("reason", "not_offered")]), 1)
        try gateway.customerPicks("outlet:\(id):X03")  // "Outlet 10"
        XCTAssertEqual(try gateway.ticket(id)["outlet_name"], "Outlet 10")
    }

    func testACustomerWritingMalayIsAskedInMalay() throws {
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: ["+60123456789"])
        try gateway.pushOutlet("O2", name: "Kopi Co KLCC", phones: ["+60123456789"])
        let id = try gateway.openTicket("Mesin saya rosak, tak boleh cetak resit")
        XCTAssertEqual(try gateway.ticket(id)["language"], "ms")
        let request = try XCTUnwrap(cloud.waitForRequests(1).first)
        let list = try XCTUnwrap(JSONParser.parseText(request.text)?["interactive"])
        let body = "Nombor anda didaftarkan dengan lebih daripada satu cawangan. "
            + "Cawangan yang mana satu berkaitan dengan perkara ini?"
        XCTAssertEqual(list["body"]?["text"]?.stringValue, body)
        XCTAssertEqual(list["action"]?["button"], "Pilih cawangan")
        XCTAssertEqual(list["action"]?["sections"]?.at(0)?["rows"]?.at(0)?["id"]?.stringValue, "outlet:\(id):O1")
    }

    func testAListTheKitRefusesStillLeavesTheTicketAmbiguousForAnAgent() throws {
        gateway = try TestGateway.whatsApp(cloud) { $0.whatsapp.phoneNumberID = nil }
        let id = try ambiguousTicket()
        XCTAssertEqual(try gateway.ticket(id)["outlet_status"], "ambiguous")
        let asked = try XCTUnwrap(gateway.ticketList(id, "history").last?["detail"])
        XCTAssertEqual(asked["list_error"]?.stringValue?.hasPrefix("not configured: WHATSAPP_PHONE_NUMBER_ID"), true,
                       "\(asked)")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)
        XCTAssertEqual(gateway.app.metrics.counter(TicketOutletMetrics.listErrors), 1)
        XCTAssertEqual(gateway.outletResolutions("ambiguous"), 1)
    }
}
