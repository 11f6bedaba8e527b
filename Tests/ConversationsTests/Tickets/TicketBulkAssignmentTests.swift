import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// `POST /v1/tickets/assignments`: each ticket assigned on its own, exactly as by its assignment route with
/// `If-Match` — a stale version, an unknown or out-of-scope ticket, a claim by someone else are reported per ticket
/// and change nothing of it; the rest are assigned, each with its history row and audit event.
final class TicketBulkAssignmentTests: XCTestCase {
    func testEachTicketIsAssignedOrRefusedOnItsOwn() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        let ids = try ["60111000001", "60111000002", "60111000003", "60111000004"].map { phone -> Int64 in
            try gateway.customerSays("printer broken", phone: phone, name: "C\(phone.suffix(1))")
            return try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        }
        func version(_ id: Int64) throws -> Int64 {
            try XCTUnwrap(gateway.admin("GET", "/v1/tickets/\(id)").json?["version"]?.int64Value)
        }
        let seen = try ids.map(version)
        // Meanwhile: a colleague adds a note to the second ticket, another agent claims the third.
        XCTAssertEqual(try gateway.ticketAction(ids[1], "notes", #"{"text": "called back"}"#).status, 201)
        let lee = try gateway.token(role: "agent", name: "lee")
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(ids[2])/claim", body: "{}", token: lee).status, 200)

        let body = """
            {"assignee": "sam@example.com", "tickets": [{"id": \(ids[0]), "version": \(seen[0])},
             {"id": \(ids[1]), "version": \(seen[1])}, {"id": \(ids[2])}, {"id": 999999}, {"id": \(ids[3])}]}
            """
        let response = try gateway.admin("POST", "/v1/tickets/assignments", body: body)
        XCTAssertEqual(response.status, 200, response.text)
        let json = try XCTUnwrap(response.json)
        XCTAssertEqual(json["assigned"]?.int64Value, 2)
        XCTAssertEqual(json["assignee"]?.stringValue, "sam@example.com")
        let results = json["results"]?.arrayValue ?? []
        XCTAssertEqual(results.compactMap { $0["id"]?.int64Value }, [ids[0], ids[1], ids[2], 999999, ids[3]],
                       "in the order asked")
        XCTAssertEqual(results.compactMap { $0["result"]?.stringValue },
                       ["assigned", "refused", "refused", "refused", "assigned"])
        XCTAssertEqual(results.map { $0["status"]?.int64Value }, [nil, 412, 409, 404, nil])
        XCTAssertEqual(results[1]["problem"]?["current_version"]?.stringValue, String(try version(ids[1])))
        XCTAssertEqual(results[0]["ticket"]?["assignee"]?.stringValue, "sam@example.com")

        for (id, assignee) in zip(ids, ["sam@example.com", nil, nil, "sam@example.com"]) {
            let ticket = try gateway.admin("GET", "/v1/tickets/\(id)").json
            XCTAssertEqual(ticket?["assignee"]?.stringValue, assignee, "ticket \(id)")
            XCTAssertEqual(try gateway.ticketList(id, "history").compactMap { $0["action"]?.stringValue }.filter { $0 == "assigned" }.count,
                           assignee == nil ? 0 : 1, "ticket \(id)")
        }
        let audit = try gateway.admin("GET", "/v1/audit?action=ticket.assignment").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(Set(audit.compactMap { $0["subject_id"]?.stringValue }), [String(ids[0]), String(ids[3])])
        XCTAssertTrue(audit.allSatisfy { $0["detail"]?["bulk"] == true }, "\(audit)")
    }

    func testAScopedCallerAssignsOnlyTicketsOfItsOutlets() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+60111000007"])
        try gateway.customerSays("printer broken", phone: "60111000007", name: "Ours")
        try gateway.customerSays("printer broken", phone: "60111000008", name: "Unlinked")
        let tickets = try gateway.conversationTickets()
        let (unlinked, ours) = try (XCTUnwrap(tickets[0]["id"]?.int64Value), XCTUnwrap(tickets[1]["id"]?.int64Value))
        let scoped = try gateway.token(role: "agent", scope: ["F1/O7"], name: "bangsar")
        let response = try gateway.admin("POST", "/v1/tickets/assignments", body: """
            {"assignee": "bangsar", "tickets": [{"id": \(ours)}, {"id": \(unlinked)}]}
            """, token: scoped)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.json?["results"]?.arrayValue?.map { $0["status"]?.int64Value }, [nil, 404])
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(unlinked)").json?["assignee"], .null)
    }

    func testBadBodiesAreRefusedNamingEachFieldAndChangeNothing() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        let id = try gateway.openTicket()
        let many = (1...101).map { #"{"id": \#($0)}"# }.joined(separator: ",")
        for (body, fields) in [
            ("[]", ["body"]),
            (#"{"tickets": [{"id": \#(id)}]}"#, ["assignee"]),
            (#"{"assignee": "a", "tickets": []}"#, ["tickets"]),
            (#"{"assignee": "a"}"#, ["tickets"]),
            (#"{"assignee": "a", "tickets": [\#(many)]}"#, ["tickets"]),
            (#"{"assignee": 5, "tickets": {"id": 1}}"#, ["assignee", "tickets"]),
            (#"{"assignee": "a", "tickets": [7, {"id": 0}, {"id": "1"}, {"id": 2, "version": -1}, {"id": 3, "v": 1}]}"#,
             ["tickets[0]", "tickets[1].id", "tickets[2].id", "tickets[3].version", "tickets[4].v"]),
            (#"{"assignee": "a", "tickets": [{"id": \#(id)}, {"id": \#(id)}]}"#, ["tickets[1].id"]),
            (#"{"assignee": "a\u0000b", "tickets": [{"id": \#(id)}], "extra": 1}"#, ["assignee", "extra"]),
            (#"{"assignee": "a", "tickets": [{"id": \#(id)}]"#, []),
        ] {
            let response = try gateway.admin("POST", "/v1/tickets/assignments", body: body)
            XCTAssertEqual(response.status, 400, "\(body): \(response.text)")
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", body)
            for field in fields {
                XCTAssertTrue(response.text.contains("\"field\":\"\(field)\""), "\(body) names \(field): \(response.text)")
            }
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").json?["assignee"], .null, "nothing was assigned")
        XCTAssertEqual(try gateway.ticketList(id, "history").compactMap { $0["action"]?.stringValue }.filter { $0 == "assigned" }, [String]())
    }
}
