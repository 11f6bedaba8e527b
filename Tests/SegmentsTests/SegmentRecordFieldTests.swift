import Conversations
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// The fields over customers' records against hand-computed expectations: tickets (ANY-match on pipeline, stage,
/// owner, assignee, priority, SLA status; first ticket; average time to resolve; SLA breach rate; repeat issue),
/// conversations (status, assignee, channel, first one), messages the customer wrote, and deals (pipeline, stage,
/// owner).
final class SegmentRecordFieldTests: XCTestCase {
    private var gateway: TestGateway!
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        for (key, phone) in [("aisyah", "60111000001"), ("ben", "60111000002"), ("chong", "60111000003")] {
            try gateway.customerSays("hello", phone: phone, name: key.capitalized)
            ids[key] = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B\(phone)").json?["id"]?.stringValue)
        }
        try gateway.customerSays("are you there?", phone: "60111000001", name: "Aisyah")
        try gateway.customerSays("hello again", phone: "60111000001", name: "Aisyah")
        // Aisyah: two CRM tickets of one category (a repeat issue), one resolved after 2 hours.
        let first = try ticket(#"{"name": "Login", "contact_id": "\#(ids["aisyah"]!)", "pipeline": "Support", "stage": "Triage", "owner": "Sam", "priority": "high", "sla_status": "breached"}"#)
        let second = try ticket(#"{"name": "Login again", "contact_id": "\#(ids["aisyah"]!)", "pipeline": "Support", "stage": "Done", "assignee": "Ann"}"#)
        for id in [first, second] {
            XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(id)/category", body: #"{"category": "login"}"#).status, 200)
        }
        gateway.advance(minutes: 120)
        try gateway.move(first, to: "resolved")
        // Ben: one ticket of another pipeline; a deal.
        _ = try ticket(#"{"name": "Invoice", "contact_id": "\#(ids["ben"]!)", "pipeline": "Billing", "stage": "New", "owner": "Sue"}"#)
        XCTAssertEqual(try gateway.admin("POST", "/v1/deals", body: #"{"name": "POS upgrade", "contact_id": "\#(ids["ben"]!)", "pipeline": "Upsell", "stage": "Proposal", "owner": "Sam"}"#).status, 201)
        // Chong's conversation is assigned to Ann.
        let chongs = try XCTUnwrap(try gateway.conversationTickets("channel=whatsapp").first {
            $0["contact_id"]?.stringValue == ids["chong"]
        }?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(chongs)/assignment", body: #"{"assignee": "Ann"}"#).status, 200)
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    private func ticket(_ body: String) throws -> Int64 {
        let created = try gateway.admin("POST", "/v1/tickets", body: body)
        XCTAssertEqual(created.status, 201, created.text)
        return try XCTUnwrap(created.json?["id"]?.int64Value ?? created.json?["ticket"]?["id"]?.int64Value)
    }

    /// Who `field operator value` matches now, by name.
    private func matched(_ field: String, _ op: String, _ value: String = "null", line: UInt = #line) throws -> [String] {
        let body = #"{"name": "T", "groups": [{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]}"#
        let id = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body).json?["id"]?.int64Value, line: line)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202, line: line)
        eventually("evaluated", line: line) {
            try self.gateway.admin("GET", "/v1/segments/\(id)").json?["readiness"] == "ready"
        }
        let items = try gateway.admin("GET", "/v1/segments/\(id)/members").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/archive").status, 200, line: line)
        return items.compactMap { item in ids.first { $0.value == item["contact_id"]?.stringValue }?.key }.sorted()
    }

    func testTicketConversationMessageAndDealFieldsMatchWhatTheyName() throws {
        let cases: [(String, String, String, [String])] = [
            ("tickets.pipeline", "is", #""support""#, ["aisyah"]),
            ("tickets.pipeline", "is_not", #""support""#, ["ben"]),
            ("tickets.stage", "contains", #""tri""#, ["aisyah"]),
            ("tickets.owner", "is", #""sam""#, ["aisyah"]),
            ("tickets.assignee", "is_empty", "null", ["ben"]),
            ("tickets.priority", "is", #""HIGH""#, ["aisyah"]),
            ("tickets.sla_status", "is", #""breached""#, ["aisyah"]),
            ("tickets.sla_status", "is_not_empty", "null", ["aisyah", "ben", "chong"]),
            ("tickets.repeat_issue", "equals", "true", ["aisyah"]),
            ("tickets.repeat_issue", "is_empty", "null", ["ben", "chong"]),
            ("tickets.avg_time_to_resolve_hours", "between", "[1.9, 2.1]", ["aisyah"]),
            ("tickets.avg_time_to_resolve_hours", "is_empty", "null", ["ben", "chong"]),
            ("tickets.associated_at", "on", #""2025-06-15""#, ["aisyah", "ben", "chong"]),
            ("conversations.assignee", "is", #""ann""#, ["chong"]),
            ("conversations.channel", "is", #""whatsapp""#, ["aisyah", "ben", "chong"]),
            ("conversations.status", "is", #""open""#, ["aisyah", "ben", "chong"]),
            ("conversations.account", "is", #""\#(WhatsAppFixtures.phoneNumberID)""#, ["aisyah", "ben", "chong"]),
            ("conversations.account", "is_not", #""\#(WhatsAppFixtures.phoneNumberID)""#, []),
            ("conversations.associated_at", "in_the_last_days", "1", ["aisyah", "ben", "chong"]),
            ("messages.from_customer", "equals", "3", ["aisyah"]),
            ("messages.from_customer", "less_than", "2", ["ben", "chong"]),
            ("deals.pipeline", "is", #""upsell""#, ["ben"]),
            ("deals.stage", "starts_with", #""prop""#, ["ben"]),
            ("deals.owner", "does_not_contain", #""sue""#, ["ben"]),
        ]
        for (field, op, value, expected) in cases {
            XCTAssertEqual(try matched(field, op, value), expected, "\(field) \(op) \(value)")
        }
    }

    func testSLABreachRateIsTheShareOfTicketsWithABreach() throws {
        XCTAssertEqual(try matched("tickets.sla_breach_rate", "greater_than", "0"), [])
        // Two hours on, nobody answered the conversations: each breaches its first-response target. Aisyah has
        // three tickets (one conversation), Ben two, Chong one.
        _ = gateway.app.ticketSLAScheduler.checkOnce()
        XCTAssertEqual(try matched("tickets.sla_breach_rate", "between", "[33, 34]"), ["aisyah"])
        XCTAssertEqual(try matched("tickets.sla_breach_rate", "between", "[50, 50]"), ["ben"])
        XCTAssertEqual(try matched("tickets.sla_breach_rate", "greater_than", "99"), ["chong"])
    }

    func testWonAndLostRatesAndTimeToConversionReadTheDealStage() throws {
        func deal(_ stage: String) throws -> Int64 {
            let created = try gateway.admin("POST", "/v1/deals", body: #"{"name": "D", "contact_id": "\#(ids["chong"]!)", "stage": "\#(stage)"}"#)
            XCTAssertEqual(created.status, 201, created.text)
            return try XCTUnwrap(created.json?["id"]?.int64Value ?? created.json?["deal"]?["id"]?.int64Value)
        }
        let negotiated = try deal("Negotiation")
        _ = try deal("Closed Lost")
        _ = try deal("Qualified")
        _ = try deal("Unknown stage")
        gateway.advance(minutes: 3 * 24 * 60)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/deals/\(negotiated)", body: #"{"stage": "Closed-Won"}"#).status, 200)
        XCTAssertEqual(try matched("deals.won_rate", "equals", "25"), ["chong"])
        XCTAssertEqual(try matched("deals.lost_rate", "between", "[24, 26]"), ["chong"])
        XCTAssertEqual(try matched("deals.lost_rate", "equals", "0"), ["ben"], "Ben's deal is at Proposal")
        XCTAssertEqual(try matched("deals.avg_time_to_conversion_days", "between", "[2.9, 3.1]"), ["chong"])
        XCTAssertEqual(try matched("deals.avg_time_to_conversion_days", "is_empty"), ["aisyah", "ben"])
    }

    /// Totals, times and recency: Aisyah has three tickets (one resolved), Ben two, Chong one; their conversations
    /// were last active on the 15th (Aisyah, Ben) and the 16th (Chong's assignment, after the two hours of setUp).
    func testTotalsTimesAndRecencyAgainstHandComputedExpectations() throws {
        XCTAssertEqual(try matched("tickets.total", "equals", "3"), ["aisyah"])
        XCTAssertEqual(try matched("tickets.total", "between", "[1, 2]"), ["ben", "chong"])
        XCTAssertEqual(try matched("tickets.resolution_rate", "between", "[33.3, 33.4]"), ["aisyah"])
        XCTAssertEqual(try matched("tickets.resolution_rate", "equals", "0"), ["ben", "chong"])
        XCTAssertEqual(try matched("tickets.last_updated_at", "on", #""2025-06-16""#), ["aisyah", "ben", "chong"])
        XCTAssertEqual(try matched("conversations.last_activity_at", "on", #""2025-06-16""#), ["chong"])
        XCTAssertEqual(try matched("conversations.last_activity_at", "before", #""2025-06-16""#), ["aisyah", "ben"])
        XCTAssertEqual(try matched("marketing_opt_in_at", "is_empty"), ["aisyah", "ben", "chong"])
        XCTAssertEqual(try matched("tickets.sla_breach_count", "equals", "0"), ["aisyah", "ben", "chong"])
        _ = gateway.app.ticketSLAScheduler.checkOnce()
        XCTAssertEqual(try matched("tickets.sla_breach_count", "greater_than", "0"), ["aisyah", "ben", "chong"],
                       "each conversation went two hours unanswered")

        // Three days on, Ben writes again and Chong's name is corrected; Aisyah withdraws marketing consent.
        gateway.advance(minutes: 3 * 24 * 60)
        try gateway.customerSays("still there?", phone: "60111000002", name: "Ben")
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(ids["chong"]!)", body: #"{"name": "Chong Wei"}"#).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/\(ids["aisyah"]!)/consents",
                                         body: #"{"status": "withdrawn"}"#).status, 200)
        XCTAssertEqual(try matched("days_since_last_conversation", "less_than", "1"), ["ben"])
        XCTAssertEqual(try matched("days_since_last_conversation", "between", "[2, 3]"), ["aisyah", "chong"])
        XCTAssertEqual(try matched("days_since_last_activity", "less_than", "1"), ["aisyah", "ben", "chong"],
                       "Aisyah's consent changed her record, Ben wrote, Chong's name was corrected")
        XCTAssertEqual(try matched("last_updated_at", "in_the_last_days", "1"), ["aisyah", "chong"],
                       "a message changes the conversation, not the customer")
        XCTAssertEqual(try matched("marketing_opt_in_at", "in_the_last_days", "1"), ["aisyah"])
        XCTAssertEqual(try matched("customer_tenure_days", "between", "[3, 3]"), ["aisyah", "ben", "chong"])
    }
}
