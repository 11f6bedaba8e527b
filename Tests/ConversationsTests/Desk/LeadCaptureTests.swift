import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// A new contact whose first message reads like a sales enquiry is asked over WhatsApp for their name, business and
/// interest; the answers land on the lead, its ticket's conversation and the contact.
final class LeadCaptureTests: WhatsAppGatewayTestCase {
    private func lead(_ ticketID: Int64) throws -> JSONValue? {
        let response = try gateway.admin("GET", "/v1/tickets/\(ticketID)/lead")
        return response.status == 200 ? response.json : nil
    }

    private func contact() throws -> JSONValue? {
        try gateway.admin("GET", "/v1/contacts?phone=%2B60123456789").json
    }

    func testANewLeadIsAskedForNameBusinessAndInterestAndTheAnswersAreKept() throws {
        let ticketID = try gateway.openTicket("How much is the POS package?")
        XCTAssertEqual(try gateway.onlyTicket()["queue"], "sales")
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.text(
            "Thanks for your interest! So that our sales team can help you, may we have your name?"))
        XCTAssertEqual(try lead(ticketID)?["awaiting"], "name")

        try gateway.customerSays("Aisyah Rahman")
        XCTAssertEqual(cloud.waitForRequests(2)[1].text, CloudAPIBody.text("Nice to meet you. What is the name of your business?"))
        try gateway.customerSays("  Kopi Aisyah Sdn Bhd ")
        let list = try XCTUnwrap(JSONParser.parse(Array(cloud.waitForRequests(3)[2].text.utf8)))
        XCTAssertEqual(list["interactive"]?["body"]?["text"], "And what are you interested in?")
        XCTAssertEqual(list["interactive"]?["action"]?["sections"]?.arrayValue?.first?["rows"]?.arrayValue?.compactMap { $0["id"]?.stringValue },
                       ["lead_interest:pos", "lead_interest:online_ordering", "lead_interest:loyalty", "lead_interest:other"])
        try gateway.customerPicks("lead_interest:pos", title: "POS system")
        XCTAssertEqual(cloud.waitForRequests(4)[3].text, CloudAPIBody.text("Thank you! Our sales team will contact you shortly."))

        let contact = try XCTUnwrap(try contact())
        XCTAssertEqual(try lead(ticketID), ["ticket_id": .integer(ticketID), "contact_id": contact["id"] ?? .null,
                                            "name": "Aisyah Rahman", "business": "Kopi Aisyah Sdn Bhd",
                                            "interest": "POS system", "source": "whatsapp", "language": "en",
                                            "awaiting": .null])
        XCTAssertEqual(contact["name"], "Aisyah Rahman", "the given name outlives the profile name of later messages")
        XCTAssertEqual(contact["fields"], ["company": "Kopi Aisyah Sdn Bhd", "source": "WhatsApp"])
        XCTAssertEqual(try gateway.count("ticket_messages", "ticket_id = \(ticketID) AND direction = 'in'"), 4,
                       "the answers are the ticket's conversation too")

        try gateway.customerSays("When can you come?")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 4, "nothing more is asked")
    }

    func testAMalayEnquiryIsAskedInMalayAndAPictureAnswersNothing() throws {
        let ticketID = try gateway.openTicket("Berapa harga pakej ini?")
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.text(
            "Terima kasih atas minat anda! Supaya pasukan jualan kami boleh membantu, boleh kami tahu nama anda?"))
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.pic", phone: "60123456789", bsuid: nil, name: "Aisyah", timestamp: gateway.messageTimestamp,
            type: "sticker", content: ["id": "media-1", "mime_type": "image/webp"]))
        XCTAssertEqual(try lead(ticketID)?["awaiting"], "name")
        XCTAssertEqual(try lead(ticketID)?["language"], "ms")
    }

    func testAnAgentsReplyStopsTheQuestions() throws {
        let ticketID = try gateway.openTicket("I'm interested in a demo")
        _ = cloud.waitForRequests(1)
        XCTAssertEqual(try gateway.reply(ticketID, #"{"actor": "sales-1", "text": "Hi! I can show you tomorrow."}"#).status, 202)
        try gateway.customerSays("Great, 3pm works")
        XCTAssertEqual(try lead(ticketID)?["awaiting"], .null)
        XCTAssertEqual(try lead(ticketID)?["name"], .null, "the customer was answering the agent, not the form")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 2)
    }

    func testSupportMessagesAndReturningContactsAreNotAsked() throws {
        let support = try gateway.openTicket("hello")
        XCTAssertEqual(try lead(support), nil)
        try gateway.move(support, to: "resolved")
        try gateway.move(support, to: "closed")
        let before = try gateway.count("whatsapp_outbound_messages")
        try gateway.customerSays("How much is the POS package?")
        XCTAssertEqual(try gateway.conversationTickets().first?["kind"], "lead")
        XCTAssertEqual(try gateway.count("leads"), 0, "a known contact is not asked who they are")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), before)
    }
}
