import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// Collision control through the real server: `If-Match` against the ticket's version (every change — a move, a
/// note, a reply — makes a new one) and soft claims that keep a second agent off a ticket someone is handling.
final class TicketCollisionTests: WhatsAppGatewayTestCase {
    private var ticket: Int64 = 0
    private var ann = "", bob = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        ticket = try gateway.openTicket("my printer is broken")
        ann = try gateway.token(role: "agent", name: "ann")
        bob = try gateway.token(role: "agent", name: "bob")
    }

    /// `method path` as the holder of `token`, with `If-Match: "<version>"` when given.
    private func send(_ method: String, _ path: String, _ body: String? = nil, token: String,
                      ifMatch: String? = nil) throws -> ClientResponse {
        var headers = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        return try gateway.request(method, "/v1/tickets/\(ticket)\(path)", headers: headers, body: Array((body ?? "").utf8))
    }

    private func version() throws -> Int64 {
        try XCTUnwrap(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["version"]?.int64Value)
    }

    func testAStaleIfMatchIsRefusedWithTheCurrentVersion() throws {
        let seen = try version()
        let moved = try send("POST", "/status", #"{"status": "pending"}"#, token: ann, ifMatch: "\"\(seen)\"")
        XCTAssertEqual(moved.status, 200, moved.text)
        XCTAssertEqual(moved.header(named: "ETag"), "\"\(seen + 1)\"")
        // Bob still works from what he saw: his move, note and reply are refused and change nothing.
        for (path, body) in [("/assignment", #"{"assignee": "bob"}"#), ("/notes", #"{"text": "mine"}"#),
                             ("/messages", #"{"text": "Hello from Bob"}"#), ("/outlet", #"{"oid": "O1"}"#)] {
            let stale = try send("POST", path, body, token: bob, ifMatch: "W/\"\(seen)\"")
            XCTAssertEqual(stale.status, 412, "\(path): \(stale.text)")
            XCTAssertEqual(stale.json?["current_version"], .string(String(seen + 1)))
            XCTAssertEqual(stale.json?["errors"]?.arrayValue?.first?["field"], "If-Match")
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["assignee"], .null)
        XCTAssertEqual(try gateway.ticketList(ticket, "notes").count, 0)
        XCTAssertEqual(cloud.received.count, 0, "nothing was sent")

        // A note and a reply are changes too: each makes a new version.
        XCTAssertEqual(try send("POST", "/notes", #"{"text": "checking"}"#, token: ann, ifMatch: "\(seen + 1)").status, 201)
        XCTAssertEqual(try version(), seen + 2)
        XCTAssertEqual(try send("POST", "/messages", #"{"text": "On it"}"#, token: ann, ifMatch: "\"\(seen + 2)\"").status, 202)
        XCTAssertEqual(try version(), seen + 3)
        XCTAssertEqual(try send("POST", "/messages", #"{"text": "Me too"}"#, token: bob, ifMatch: "\"\(seen + 2)\"").status, 412,
                       "a reply in between is caught")
        XCTAssertEqual(try send("POST", "/status", #"{"status": "open"}"#, token: ann, ifMatch: "seven").status, 400)
        XCTAssertEqual(try send("POST", "/status", #"{"status": "open"}"#, token: ann).status, 200, "no If-Match: no check")
    }

    func testAClaimKeepsOthersOffUntilItEndsOrAnAdminTakesOver() throws {
        let claimed = try send("POST", "/claim", token: ann)
        XCTAssertEqual(claimed.status, 200, claimed.text)
        XCTAssertEqual(claimed.json?["claimed_by"], "ann")
        XCTAssertNotEqual(claimed.json?["claimed_until"], .null)

        let refused = try send("POST", "/messages", #"{"text": "Hello from Bob"}"#, token: bob)
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(refused.json?["claimed_by"], "ann")
        XCTAssertEqual(try send("POST", "/status", #"{"status": "pending"}"#, token: bob).status, 409)
        let canned = try XCTUnwrap(try gateway.admin("POST", "/v1/canned-replies", body: #"{"name": "hello", "language": "en", "text": "Hello {{contact.name}}"}"#)
            .json?["id"]?.int64Value)
        XCTAssertEqual(try send("POST", "/canned-replies/\(canned)", token: bob).status, 409, "a canned reply is a reply")
        XCTAssertEqual(try send("POST", "/claim", #"{"take_over": true}"#, token: bob).status, 409, "only admins take over")
        XCTAssertEqual(try send("DELETE", "/claim", token: bob).status, 409)
        XCTAssertEqual(try send("POST", "/claim", #"{"take_over": "yes"}"#, token: bob).status, 400)
        XCTAssertEqual(cloud.received.count, 0)

        // Ann works on; her reply renews the claim. Ten minutes after her last change it has run out.
        gateway.advance(minutes: 8)
        XCTAssertEqual(try send("POST", "/messages", #"{"text": "Which model?"}"#, token: ann).status, 202)
        gateway.advance(minutes: 8)
        XCTAssertEqual(try send("POST", "/status", #"{"status": "pending"}"#, token: bob).status, 409, "renewed")
        gateway.advance(minutes: 3)
        XCTAssertEqual(try send("POST", "/status", #"{"status": "pending"}"#, token: bob).status, 200, "ran out")

        // Bob claims it; the admin takes over, recorded; then releases it and Ann may act again.
        XCTAssertEqual(try send("POST", "/claim", token: bob).status, 200)
        let admin = try gateway.token(role: "admin", name: "lead")
        let taken = try send("POST", "/claim", #"{"take_over": true}"#, token: admin)
        XCTAssertEqual(taken.status, 200, taken.text)
        XCTAssertEqual(taken.json?["claimed_by"], "lead")
        XCTAssertEqual(try send("DELETE", "/claim", token: admin).json?["claimed_by"], .null)
        XCTAssertEqual(try send("POST", "/status", #"{"status": "open"}"#, token: ann).status, 200)
        let history = try gateway.ticketList(ticket, "history").map { $0["action"]?.stringValue ?? "" }
        XCTAssertEqual(history.filter { $0.hasPrefix("claim") }, ["claimed", "claimed", "claim_taken_over", "claim_released"])
        let audit = try gateway.admin("GET", "/v1/audit?action=ticket.claimed").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(audit.count, 3)
    }
}
