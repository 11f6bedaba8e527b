import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// Fields over what customers and agents say to each other: `csat.average` (the mean of a customer's survey answers),
/// `messages.reply_rate` and `messages.avg_customer_response_minutes` (of the messages sent to them, those the customer
/// answered directly, and how fast).
final class SegmentConversationFieldTests: WhatsAppGatewayTestCase {
    func testTheAverageOfTheCustomersAnswers() throws {
        let aisyah = "60123456789", ben = "60111000002"
        try gateway.customerSays("printer broken", phone: ben, name: "Ben")
        for rating in [4, 1] {
            try gateway.customerSays("printer broken again", phone: aisyah, name: "Aisyah")
            let contact = try gateway.admin("GET", "/v1/contacts?phone=%2B\(aisyah)").json?["id"]
            let id = try XCTUnwrap(try gateway.conversationTickets().first {
                $0["contact_id"] == contact && $0["status"] == "open"
            }?["id"]?.int64Value)
            try gateway.move(id, to: "resolved")
            eventually("the survey sent") {
                try self.gateway.admin("GET", "/v1/whatsapp/messages?purpose=csat&reference=T-\(id)")
                    .json?["items"]?.arrayValue?.count == 1
            }
            try gateway.customerTaps("csat:T-\(id):\(rating)", title: String(rating), phone: aisyah)
            // Long enough that her next message is a new conversation, not a comment on this survey or a reopening.
            gateway.advance(minutes: 10 * 24 * 60)
        }
        XCTAssertEqual(try gateway.csatResponses().map { $0["rating"] }, ["4", "1"])
        func matched(_ op: String, _ value: String) throws -> Int64? {
            try gateway.admin("POST", "/v1/segments/preview", body: #"{"groups": [{"filters": [{"field": "csat.average", "operator": "\#(op)", "value": \#(value)}]}]}"#)
                .json?["matched"]?.int64Value
        }
        XCTAssertEqual(try matched("equals", "2.5"), 1)
        XCTAssertEqual(try matched("between", "[2, 3]"), 1)
        XCTAssertEqual(try matched("greater_than", "3"), 0)
        XCTAssertEqual(try matched("is_empty", "null"), 1, "Ben never answered")
    }

    func testReplyRateAndResponseTimeCountTheMessagesTheCustomerAnsweredDirectly() throws {
        let id = try gateway.openTicket("my printer is broken")
        try gateway.customerSays("hello?", phone: "60111000002", name: "Ben")
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "Which model is it?"}"#).status, 202)
        gateway.advance(minutes: 10)
        try gateway.customerSays("the T-200")
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "A technician will call you."}"#).status, 202)
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "Is tomorrow fine?"}"#).status, 202)
        func matched(_ field: String, _ op: String, _ value: String) throws -> Int64? {
            try gateway.admin("POST", "/v1/segments/preview", body: #"{"groups": [{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]}"#)
                .json?["matched"]?.int64Value
        }
        // Aisyah answered one of three messages, after ten minutes; nothing was sent to Ben.
        XCTAssertEqual(try matched("messages.reply_rate", "between", "[33.3, 33.4]"), 1)
        XCTAssertEqual(try matched("messages.reply_rate", "less_than", "101"), 1, "no rate without messages sent")
        XCTAssertEqual(try matched("messages.avg_customer_response_minutes", "between", "[9.9, 10.1]"), 1)
        XCTAssertEqual(try matched("messages.avg_customer_response_minutes", "is_empty", "null"), 1, "Ben")
        XCTAssertEqual(try matched("messages.from_customer", "equals", "2"), 1)
    }
}
