import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Agents reply to a ticket's customer through the outbox — free-form text inside the 24-hour window,
/// templates outside it — and the ticket shows how each reply fared at the Cloud API.
final class TicketReplyTests: WhatsAppGatewayTestCase {
    private var id: Int64 = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        id = try gateway.openTicket("hello")
    }

    /// Nothing of a reply exists: no WhatsApp message, no outbox row, no outbound ticket message, no history.
    private func assertNothingWritten(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0, file: file, line: line)
        XCTAssertEqual(try gateway.count("outbox", "endpoint = 'whatsapp'"), 0, file: file, line: line)
        XCTAssertEqual(try gateway.count("ticket_messages", "direction = 'out'"), 0, file: file, line: line)
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened"], file: file, line: line)
    }

    func testTextOutsideTheWindowIsRefusedBeforeSendingAndATemplateIsSent() throws {
        gateway.advance(minutes: 24 * 60 + 1)
        let refused = try gateway.reply(id, #"{"actor": "agent-7", "text": "Any news?"}"#)
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(ClientResponseSummary(refused).fields, ["text"])
        let reason = refused.json?["errors"]?.arrayValue?.first?["message"]?.stringValue ?? ""
        XCTAssertTrue(reason.contains("24-hour customer-service window closed at"), reason)
        XCTAssertTrue(reason.contains("support_followup"), reason)
        try assertNothingWritten()

        let followUp = try gateway.reply(id, #"{"actor": "agent-7", "template": {"name": "support_followup", "parameters": ["Aisyah", "T-\#(id)"]}}"#)
        XCTAssertEqual(followUp.status, 202, followUp.text)
        XCTAssertEqual(followUp.json?["type"], "template")
        XCTAssertEqual(followUp.json?["text"]?.stringValue, "Hi Aisyah, we have an update on your ticket T-\(id). Please reply to this message so our support team can continue helping you.")
        XCTAssertEqual(followUp.json?["content"], ["template": ["name": "support_followup", "language": "en",
                                                                "parameters": ["Aisyah", .string("T-\(id)")]]])
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.followUp(name: "Aisyah", ref: "T-\(id)"))
        XCTAssertEqual(try gateway.rows("SELECT purpose, reference FROM whatsapp_outbound_messages"),
                       [["purpose": "ticket_reply", "reference": "T-\(id)"]])
    }

    func testAClosedTicketTakesNoReplyAndAResolvedOneStaysResolved() throws {
        try gateway.move(id, to: "resolved")
        let resolvedReply = try gateway.reply(id, #"{"actor": "agent-7", "text": "One more thing: restart it."}"#)
        XCTAssertEqual(resolvedReply.status, 202, resolvedReply.text)
        XCTAssertEqual(try gateway.onlyTicket()["status"], "resolved", "a reply does not reopen the ticket")
        try gateway.move(id, to: "closed")
        let before = try gateway.count("whatsapp_outbound_messages")
        let closedReply = try gateway.reply(id, #"{"actor": "agent-7", "text": "Hello again"}"#)
        XCTAssertEqual(closedReply.status, 409, closedReply.text)
        XCTAssertTrue(closedReply.json?["detail"]?.stringValue?.contains("is closed") ?? false)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), before)
    }

    func testTemplateMistakesNameTheFieldAndWriteNothing() throws {
        gateway.advance(minutes: 24 * 60 + 1)
        let cases: [(String, String)] = [
            (#"{"name": "no_such_template", "parameters": ["a", "b"]}"#, "template.name"),
            (#"{"name": "support_followup", "language": "fr", "parameters": ["a", "b"]}"#, "template.language"),
            (#"{"name": "support_followup", "parameters": ["only one"]}"#, "template.parameters"),
            (#"{"name": "support_followup", "parameters": ["a", 2]}"#, "template.parameters[1]"),
            (#"{"name": "support_followup", "parameters": ["two\nlines", "b"]}"#, "template.parameters[0]"),
            (#"{"parameters": ["a", "b"]}"#, "template.name"),
        ]
        for (template, field) in cases {
            let response = try gateway.reply(id, #"{"actor": "agent-7", "template": \#(template)}"#)
            XCTAssertEqual(response.status, 400, template)
            XCTAssertEqual(ClientResponseSummary(response).fields, [field], template)
        }
        try assertNothingWritten()
        XCTAssertEqual(cloud.received.count, 0)
    }

    func testCloudAPIRefusalShowsOnTheTicketMessageAndInItsHistory() throws {
        cloud.setScript { _, _ in CloudAPIReply.error(131047, "Re-engagement message",
                                                      details: "More than 24 hours have passed since the customer last replied.") }
        let reply = try gateway.reply(id, #"{"actor": "agent-7", "text": "Are you still there?"}"#)
        XCTAssertEqual(reply.status, 202, reply.text)
        eventually("the reply shows as failed") {
            try self.gateway.ticketList(self.id, "messages").last?["delivery"]?["status"] == "failed"
        }
        let message = try XCTUnwrap(gateway.ticketList(id, "messages").last)
        XCTAssertEqual(message["delivery"]?["error"], [
            "code": 131047, "title": "Re-engagement message",
            "detail": "More than 24 hours have passed since the customer last replied.",
        ])
        XCTAssertEqual(message["delivery"]?["updated_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        let failure = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(failure["action"], "delivery_failed")
        XCTAssertEqual(failure["actor"], "whatsapp")
        XCTAssertEqual(failure["detail"]?["code"], 131047)
        XCTAssertEqual(failure["detail"]?["purpose"], "ticket_reply")
        XCTAssertEqual(failure["detail"]?["ticket_message_id"], message["id"])
    }

    func testDeliveryReportsMoveTheTicketMessagesStatus() throws {
        try gateway.reply(id, #"{"actor": "agent-7", "text": "Fixed it for you."}"#)
        eventually("accepted") { try self.gateway.ticketList(self.id, "messages").last?["delivery"]?["status"] == "accepted" }
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: gateway.messageTimestamp)])
        XCTAssertEqual(try gateway.ticketList(id, "messages").last?["delivery"]?["status"], "delivered")
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "read", at: gateway.messageTimestamp)])
        XCTAssertEqual(try gateway.ticketList(id, "messages").last?["delivery"]?["status"], "read")
        XCTAssertFalse(JSONValue.array(try gateway.ticketList(id, "history")).actions.contains("delivery_failed"))
    }

    func testOnlyTheFirstReplyIsTheFirstResponse() throws {
        let firstAt = gateway.clock.now
        try gateway.reply(id, #"{"actor": "agent-7", "text": "Looking into it"}"#)
        gateway.advance(minutes: 3)
        try gateway.reply(id, #"{"actor": "agent-9", "text": "Done"}"#)
        XCTAssertEqual(try gateway.onlyTicket()["first_response_at"]?.stringValue, Timestamps.rfc3339(firstAt))
        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(JSONValue.array(history).actions, ["opened", "replied", "first_response", "replied"])
        XCTAssertEqual(history[2]["actor"], "agent-7")
        XCTAssertEqual(history[2]["detail"]?["within_target"], true)
        XCTAssertEqual(try gateway.ticketList(id, "messages").compactMap { $0["sender"]?.stringValue }.dropFirst(),
                       ["agent-7", "agent-9"])
        XCTAssertEqual(cloud.waitForRequests(2).map(\.text), [CloudAPIBody.text("Looking into it"), CloudAPIBody.text("Done")])
    }

    func testIdempotencyKeyReturnsTheFirstReplyAndRefusesAnotherBody() throws {
        let body = #"{"actor": "agent-7", "text": "Restart the printer"}"#
        let first = try gateway.reply(id, body, idempotencyKey: "reply-1")
        XCTAssertEqual(first.status, 202)
        let again = try gateway.reply(id, body, idempotencyKey: "reply-1")
        XCTAssertEqual(again.status, 202)
        XCTAssertEqual(again.header(named: "Idempotent-Replayed"), "true")
        XCTAssertEqual(again.json?["id"], first.json?["id"])
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "Other words"}"#,
                                         idempotencyKey: "reply-1").status, 409)
        XCTAssertEqual(try gateway.count("ticket_messages", "direction = 'out'"), 1)
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened", "replied", "first_response"])
    }

    func testATicketWithoutAWhatsAppCustomerCannotBeRepliedTo() throws {
        let botTicket = try gateway.createTicket(#"{"name":"From the bot","room_id":"room-b","creator_flag":"bot"}"#)
        let response = try gateway.reply(botTicket, #"{"actor": "agent-7", "text": "hi"}"#)
        XCTAssertEqual(response.status, 409, response.text)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)
    }
}
