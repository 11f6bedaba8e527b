import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// `csat.average`: the mean of a customer's survey answers, empty for a customer who never answered.
final class SegmentCSATFieldTests: WhatsAppGatewayTestCase {
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
}
