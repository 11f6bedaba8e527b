import Configuration
import Conversations
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// What happens to customer messages after a survey (see `CSATReplyRules`): ratings and comments are recorded without
/// touching the ticket; answers that are no valid rating are counted, logged and — when typed — handled as ordinary
/// messages.
final class CSATAnswerTests: WhatsAppGatewayTestCase {
    private var id: Int64 = 0
    private var ref: String { "T-\(id)" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        id = try gateway.openTicket("hello")
        try gateway.move(id, to: "resolved")
        cloud.waitForRequests(1)
    }

    private var status: String? { (try? gateway.onlyTicket())?["status"]?.stringValue }

    func testATypedRatingIsRecordedWhileTheSurveyWaits() throws {
        try gateway.customerSays(" 5 ")
        XCTAssertEqual(try gateway.csatResponses().first?["rating"], "5")
        XCTAssertEqual(try gateway.csatResponses().first?["source"], "text")
        XCTAssertEqual(status, "resolved")
    }

    func testInvalidTypedRatingsAreCountedAndFlowOnAsOrdinaryMessages() throws {
        try gateway.customerSays("7")
        XCTAssertEqual(gateway.csatReplies("invalid_rating"), 1)
        XCTAssertEqual(status, "open", "\"7\" is an ordinary message: it reopens the resolved ticket")
        XCTAssertEqual(try gateway.ticketList(id, "messages").last?["text"], "7")

        try gateway.move(id, to: "resolved")
        try gateway.customerSays("0")
        XCTAssertEqual(gateway.csatReplies("invalid_rating"), 2)
        try gateway.move(id, to: "resolved")
        try gateway.customerSays("abc")
        XCTAssertEqual(gateway.csatReplies("not_a_rating"), 1)
        XCTAssertEqual(status, "open")
        XCTAssertEqual(try gateway.csatResponses(), [])

        // Three resolutions, three surveys — the same ticket reference in each.
        XCTAssertEqual(cloud.waitForRequests(3).map(\.text), Array(repeating: CloudAPIBody.csatSurvey(name: "Aisyah", ref: ref),
                                                                   count: 3))
        XCTAssertEqual(try gateway.rows("SELECT resolution FROM csat_surveys ORDER BY id").compactMap { $0["resolution"] },
                       ["1", "2", "3"])
        XCTAssertEqual(try gateway.rows("SELECT idempotency_key FROM whatsapp_outbound_messages ORDER BY id")
                        .compactMap { $0["idempotency_key"] }, ["csat:\(id):1", "csat:\(id):2", "csat:\(id):3"])
    }

    func testAButtonForAnotherTicketIsIgnoredWithoutTouchingAnyTicket() throws {
        try gateway.customerTaps("csat:T-999:5")
        try gateway.customerTaps("csat:\(ref):9")
        try gateway.customerTaps("csat:")
        XCTAssertEqual(gateway.csatReplies("other_ticket"), 1)
        XCTAssertEqual(gateway.csatReplies("invalid_rating"), 2)
        XCTAssertEqual(try gateway.csatResponses(), [])
        XCTAssertEqual(status, "resolved")
        XCTAssertEqual(try gateway.conversationTickets().count, 1)
        XCTAssertEqual(try gateway.ticketList(id, "messages").filter { $0["type"] == "button" }.count, 3,
                       "taps stay in the conversation")
    }

    func testAnswersAfterTheResponseWindowAreIgnored() throws {
        gateway.advance(minutes: 7 * 24 * 60 + 1)
        try gateway.customerTaps("csat:\(ref):5")
        XCTAssertEqual(gateway.csatReplies("expired"), 1)
        XCTAssertEqual(status, "resolved", "a late tap is still no message to act on")
        try gateway.customerSays("5")
        XCTAssertEqual(gateway.csatReplies("expired"), 2)
        XCTAssertEqual(try gateway.csatResponses(), [])
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(tickets.count, 2, "a late typed \"5\" is an ordinary message: past the reopen window, a new ticket")
        XCTAssertEqual(try gateway.ticketList(try XCTUnwrap(tickets.first?["id"]?.int64Value), "messages").first?["text"],
                       "5")
    }

    func testTheFirstRatingWinsAndTheCommentWindowCloses() throws {
        try gateway.customerTaps("csat:\(ref):2", title: "2")
        try gateway.customerTaps("csat:\(ref):5", title: "5")
        try gateway.customerSays("4")
        XCTAssertEqual(gateway.csatReplies("duplicate"), 2)
        XCTAssertEqual(try gateway.csatResponses().map { $0["rating"] }, ["2"])
        gateway.advance(minutes: 29)
        try gateway.customerSays("The printer still jams sometimes")
        try gateway.customerSays("Also the receipt is faint")
        XCTAssertEqual(try gateway.csatResponses().first?["comment"], "The printer still jams sometimes")
        XCTAssertEqual(status, "open", "only the first free text is the comment; the next is a message again")
        XCTAssertEqual(gateway.csatReplies("comment"), 1)
    }

    func testNoCommentAfterTheCommentWindow() throws {
        try gateway.customerTaps("csat:\(ref):3", title: "3")
        gateway.advance(minutes: 31)
        try gateway.customerSays("thanks")
        XCTAssertEqual(try gateway.csatResponses().first?["comment"], nil)
        XCTAssertEqual(status, "open")
    }

    func testAfterTheCustomerReopenedTheTicketADigitAnswersTheAgent() throws {
        try gateway.customerSays("my printer broke again")
        XCTAssertEqual(status, "open")
        try gateway.customerSays("3")
        XCTAssertEqual(try gateway.csatResponses(), [])
        XCTAssertEqual(gateway.csatReplies("invalid_rating") + gateway.csatReplies("recorded"), 0)
        XCTAssertEqual(try gateway.ticketList(id, "messages").last?["text"], "3")
        try gateway.customerTaps("csat:\(ref):4", title: "4")
        XCTAssertEqual(try gateway.csatResponses().first?["rating"], "4", "a tap on the survey still rates it")
    }

    func testResolvingAgainIsRefusedAndSendsNoSecondSurvey() throws {
        XCTAssertEqual(try gateway.ticketAction(id, "status", #"{"status": "resolved", "actor": "agent-7"}"#).status, 409)
        try gateway.move(id, to: "closed")
        XCTAssertEqual(try gateway.count("csat_surveys"), 1)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 1)
    }

    func testASurveyTheCloudAPIRefusesShowsOnTheTicketAndInTheReport() throws {
        cloud.setScript { _, _ in CloudAPIReply.error(131026, "Message Undeliverable") }
        try gateway.move(id, to: "open")
        try gateway.move(id, to: "resolved")
        eventually("the second survey failed") {
            try self.gateway.ticketList(self.id, "messages").last?["delivery"]?["status"] == "failed"
        }
        XCTAssertEqual(try gateway.ticketList(id, "history").last?["detail"]?["purpose"], "csat")
        let totals = try gateway.csatReport("group_by=ticket").json?["totals"]
        XCTAssertEqual(totals?["surveys_sent"], 1)
        XCTAssertEqual(totals?["surveys_failed"], 1)
    }

    func testWithCSATDisabledResolvingSendsNothing() throws {
        gateway = try TestGateway.whatsApp(cloud) { $0.csat.enabled = false }
        let other = try gateway.openTicket("hello")
        try gateway.move(other, to: "resolved")
        XCTAssertEqual(try gateway.count("csat_surveys"), 0)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)
    }
}
