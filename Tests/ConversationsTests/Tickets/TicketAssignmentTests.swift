import Configuration
import Conversations
import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// Assignment through the real server: new tickets go round-robin (or to the fewest open) among the available users
/// of their queue's role whose scope covers them, leads to the lead owner, and an agent going unavailable hands their
/// open tickets on — each assignment in the history and the audit log.
final class TicketAssignmentTests: XCTestCase {
    private var gateway: TestGateway!
    /// API tokens named after the users, so a change is made as that user.
    private var tokens: [String: String] = [:]

    private func start(_ configure: @escaping (inout GatewayConfig) -> Void = { _ in }) throws {
        gateway = try TestGateway.tickets(configure: configure)
        for (email, role, scope) in [("ann@desk.my", "agent", [String]()), ("bob@desk.my", "agent", []),
                                     ("cid@desk.my", "agent", []), ("dee@desk.my", "agent", ["F1"]),
                                     ("sam@desk.my", "sales", [])] {
            try gateway.user(email: email, role: role, scope: scope)
            tokens[email] = try gateway.token(role: role, scope: scope, name: email)
        }
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    @discardableResult
    private func available(_ email: String, _ available: Bool) throws -> JSONValue? {
        let response = try gateway.admin("POST", "/v1/agents/me/availability", body: #"{"available": \#(available)}"#,
                                         token: tokens[email])
        XCTAssertEqual(response.status, 200, response.text)
        return response.json
    }

    /// The assignee of the newest conversation ticket after customer `n` writes `text`.
    private func newTicket(_ n: Int, _ text: String = "my printer is broken") throws -> (id: Int64, assignee: JSONValue?) {
        try gateway.customerSays(text, phone: "6011100000\(n)", name: "Customer \(n)")
        let ticket = try XCTUnwrap(try gateway.conversationTickets().first)
        return (try XCTUnwrap(ticket["id"]?.int64Value), ticket["assignee"])
    }

    func testRoundRobinAmongTheAvailableAndHandingOnWhenOneLeaves() throws {
        try start()
        XCTAssertEqual(try newTicket(1).assignee, .null, "nobody is available yet")
        try available("ann@desk.my", true)
        try available("bob@desk.my", true)
        try available("dee@desk.my", true)  // scoped to a franchise: not for tickets without an outlet
        let second = try newTicket(2), third = try newTicket(3), fourth = try newTicket(4)
        XCTAssertEqual([second.assignee, third.assignee, fourth.assignee], ["ann@desk.my", "bob@desk.my", "ann@desk.my"])
        XCTAssertEqual(try newTicket(5, "berapa harga pakej").assignee, .null, "a lead goes to sales: nobody there")
        try available("sam@desk.my", true)
        XCTAssertEqual(try newTicket(6, "berapa harga pakej").assignee, "sam@desk.my")

        // Ann leaves: her two tickets go to Bob; then Bob leaves and nobody is left: back to the queue.
        XCTAssertEqual(try available("ann@desk.my", false)?["redistributed"], .integer(2))
        for id in [second.id, fourth.id] {
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").json?["assignee"], "bob@desk.my")
        }
        XCTAssertEqual(try available("bob@desk.my", false)?["redistributed"], .integer(3))
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(third.id)").json?["assignee"], .null)

        let history = try gateway.ticketList(second.id, "history").filter { $0["action"] == "assigned" }
        XCTAssertEqual(history.map { $0["actor"] }, ["assignment", "assignment", "assignment"])
        XCTAssertEqual(history.map { $0["to"] }, ["ann@desk.my", "bob@desk.my", .null])
        let audit = try gateway.admin("GET", "/v1/audit?action=ticket.assigned").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(audit.count, 9, "four at opening, five handed on; none when nobody was there to assign")
        XCTAssertEqual(audit.first?["actor"], "assignment")

        for body in [#"{"available": "yes"}"#, "{}", "[]", #"{"available": true, "queue": "sales"}"#] {
            let refused = try gateway.admin("POST", "/v1/agents/me/availability", body: body, token: tokens["ann@desk.my"])
            XCTAssertEqual(refused.status, 400, body)
        }
    }

    func testLeastOpenLeadOwnerAndReopening() throws {
        try start { config in
            config.tickets.supportAssignment = "least_open"
            config.tickets.leadOwner = "sam@desk.my"
        }
        try available("ann@desk.my", true)
        let first = try newTicket(1), second = try newTicket(2)
        XCTAssertEqual([first.assignee, second.assignee], ["ann@desk.my", "ann@desk.my"], "Ann alone")
        try available("bob@desk.my", true)
        XCTAssertEqual(try newTicket(3).assignee, "bob@desk.my", "Bob has the fewest open")
        XCTAssertEqual(try newTicket(4).assignee, "bob@desk.my", "1 against 2")
        XCTAssertEqual(try newTicket(5, "how much is the pricing plan").assignee, "sam@desk.my",
                       "the lead owner, available or not")

        // Ann's resolved ticket reopens while she is away: it goes to Bob.
        try gateway.move(first.id, to: "resolved")
        try available("ann@desk.my", false)
        try gateway.customerSays("it broke again", phone: "60111000001", name: "Customer 1")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(first.id)").json?["status"], "open")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(first.id)").json?["assignee"], "bob@desk.my")
    }
}
