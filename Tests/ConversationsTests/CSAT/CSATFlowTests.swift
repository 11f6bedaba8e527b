import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// The inbound ticket flow and the CSAT flow end to end, black box: a signed customer message opens a
/// ticket, the agent's reply reaches the stand-in Cloud API with the exact text body, resolving sends the exact CSAT
/// template, and the customer's button tap is recorded and reported without reopening the ticket.
final class CSATFlowTests: WhatsAppGatewayTestCase {
    func testMessageTicketReplyResolveSurveyAndButtonAnswer() throws {
        let id = try gateway.openTicket("My printer is not working")
        let ref = "T-\(id)"

        let reply = try gateway.reply(id, #"{"actor": "agent-7", "text": "Hi Aisyah, we are on it."}"#)
        XCTAssertEqual(reply.status, 202, reply.text)
        XCTAssertEqual(reply.json?["direction"], "out")
        XCTAssertEqual(reply.json?["sender"], "agent-7")
        XCTAssertEqual(reply.json?["delivery"]?["status"], "queued")
        var requests = cloud.waitForRequests(1)
        XCTAssertEqual(requests[0].path, "/v21.0/\(WhatsAppFixtures.phoneNumberID)/messages")
        XCTAssertEqual(requests[0].text, CloudAPIBody.text("Hi Aisyah, we are on it."))
        eventually("the reply shows as accepted") {
            try self.gateway.ticketList(id, "messages").last?["delivery"]?["status"] == "accepted"
        }
        XCTAssertEqual(try gateway.onlyTicket()["first_response_at"]?.stringValue,
                       Timestamps.rfc3339(gateway.clock.now))

        try gateway.ticketAction(id, "assignment", #"{"assignee": "agent-7", "actor": "lead-1"}"#)
        try gateway.move(id, to: "resolved")
        requests = cloud.waitForRequests(2)
        XCTAssertEqual(requests[1].text, CloudAPIBody.csatSurvey(name: "Aisyah", ref: ref))
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/messages?purpose=csat&reference=\(ref)")
                        .json?["items"]?.arrayValue?.count, 1)

        let tap = try gateway.customerTaps("csat:\(ref):4", title: "4")
        XCTAssertEqual(try gateway.csatResponses(), [["survey_id": "1", "ticket_id": String(id), "rating": "4",
                                                      "source": "button"]])
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["status"], "resolved", "a survey answer does not reopen the ticket")
        XCTAssertEqual(ticket["reopen_count"], 0)
        XCTAssertEqual(ticket["last_customer_message_at"]?.stringValue,
                       Timestamps.rfc3339(gateway.messageTimestamp * 1000), "the answer opens the 24-hour window")
        let messages = try gateway.ticketList(id, "messages")
        XCTAssertEqual(messages.map { $0["direction"]?.stringValue ?? "" }, ["in", "out", "out", "in"])
        XCTAssertEqual(messages[2]["type"], "template")
        XCTAssertEqual(messages[2]["sender"], "csat")
        XCTAssertEqual(messages[2]["text"]?.stringValue?.hasPrefix("Hi Aisyah, your ticket \(ref) has been resolved."),
                       true)
        XCTAssertEqual(messages[3]["wa_message_id"]?.stringValue, tap)

        try gateway.customerSays("Quick and friendly, thanks")
        XCTAssertEqual(try gateway.csatResponses().first?["comment"], "Quick and friendly, thanks")
        XCTAssertEqual(try gateway.onlyTicket()["status"], "resolved", "the comment does not reopen it either")
        XCTAssertEqual(gateway.csatReplies("recorded"), 1)
        XCTAssertEqual(gateway.csatReplies("comment"), 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_csat_surveys_total", [("outcome", "sent")]), 1)

        let report = try gateway.csatReport("group_by=agent")
        XCTAssertEqual(report.status, 200, report.text)
        XCTAssertEqual(report.json?["groups"], [[
            "key": "agent-7", "agent": "agent-7", "count": 1, "average": 4,
            "distribution": ["1": 0, "2": 0, "3": 0, "4": 1, "5": 0], "surveys_sent": 1, "surveys_failed": 0,
            "comments": 1, "response_rate": 1,
        ]])
        XCTAssertEqual(report.json?["totals"]?["count"], 1)
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, [
            "opened", "replied", "first_response", "assigned", "status_changed", "csat_sent", "csat_rated",
            "csat_commented",
        ])
    }

    func testInteractiveButtonReplyIsAnAnswerToo() throws {
        let id = try gateway.openTicket()
        try gateway.move(id, to: "resolved")
        cloud.waitForRequests(1)
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.interactive", phone: "60123456789", bsuid: nil, name: "Aisyah",
            timestamp: gateway.messageTimestamp, type: "interactive",
            content: ["type": "button_reply", "button_reply": ["id": .string("csat:T-\(id):5"), "title": "5"]]))
        XCTAssertEqual(try gateway.csatResponses().first?["rating"], "5")
        XCTAssertEqual(try gateway.onlyTicket()["status"], "resolved")
    }

    func testMalayTicketGetsTheMalaySurveyAndReplyTemplate() throws {
        let id = try gateway.openTicket("Mesin saya rosak, tak boleh cetak resit")
        XCTAssertEqual(try gateway.onlyTicket()["language"], "ms")
        try gateway.move(id, to: "resolved")
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.csatSurvey(name: "Aisyah", ref: "T-\(id)",
                                                                                 language: "ms"))
        let followUp = try gateway.reply(id, #"{"actor": "agent-7", "template": {"name": "support_followup", "parameters": ["Aisyah", "T-\#(id)"]}}"#)
        XCTAssertEqual(followUp.status, 202, followUp.text)
        XCTAssertEqual(followUp.json?["content"]?["template"]?["language"], "ms")
        XCTAssertEqual(cloud.waitForRequests(2)[1].text, CloudAPIBody.followUp(name: "Aisyah", ref: "T-\(id)",
                                                                               language: "ms"))
    }

    func testASurveyTemplateMetaPausedIsSkippedOnTheTicketsHistory() throws {
        XCTAssertEqual(try gateway.postWhatsApp(WhatsAppBodyBuilder.templateUpdate(
            "message_template_status_update", "PAUSED", name: "csat_request", language: "en",
            time: gateway.messageTimestamp)).status, 200)
        let id = try gateway.openTicket("My printer is not working")
        XCTAssertEqual(try gateway.count("inbox_items", "kind = 'template_update' AND status = 'applied'"), 1)
        try gateway.move(id, to: "resolved")
        XCTAssertEqual(try gateway.onlyTicket()["status"], "resolved", "a skipped survey never blocks resolving")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0, "nothing is queued")
        XCTAssertEqual(try gateway.rows("SELECT action, detail FROM ticket_history WHERE action = 'csat_skipped'"),
                       [["action": "csat_skipped", "detail": #"{"reason":"template csat_request (en) is PAUSED at "#
                            + #"Meta, reason NONE; it is sent again once Meta approves it"}"#]])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_csat_surveys_total", [("outcome", "skipped_template")]), 1)
    }
}
