import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import XCTest

/// A caller scoped to a franchise or an outlet sees only its records: tickets, outlets, contacts, renewals and CSAT
/// of other outlets answer 404 (or are left out of lists and reports), exactly as if they did not exist.
final class ScopeVisibilityTests: XCTestCase {
    private func ids(_ response: ClientResponse) -> [Int64] {
        response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
    }

    func testTicketsOutletsAndContactsOutsideTheScopeDoNotExist() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        try gateway.pushOutlet("O1", name: "Kopi Bangsar", phones: ["+60199000001"], fid: "F1")
        try gateway.pushOutlet("O2", name: "Teh Tarik", phones: ["+60199000002"], fid: "F2", franchise: "Teh")
        try gateway.customerSays("help", phone: "60123000001")
        try gateway.customerSays("help", phone: "60123000002")
        try gateway.customerSays("help", phone: "60123000003")
        let tickets = try gateway.conversationTickets().compactMap { $0["id"]?.int64Value }.sorted()
        XCTAssertEqual(tickets.count, 3)
        let (mine, theirs, unlinked) = (tickets[0], tickets[1], tickets[2])
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(mine)/outlet", body: #"{"oid": "O1"}"#).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(theirs)/outlet", body: #"{"oid": "O2"}"#).status, 200)
        let agent = try gateway.token(role: "agent", scope: ["F1"], name: "f1-agent")
        let outletAgent = try gateway.token(role: "agent", scope: ["/O2"], name: "o2-agent")

        XCTAssertEqual(ids(try gateway.admin("GET", "/v1/tickets", token: agent)), [mine])
        XCTAssertEqual(ids(try gateway.admin("GET", "/v1/tickets", token: outletAgent)), [theirs])
        XCTAssertEqual(ids(try gateway.admin("GET", "/v1/tickets", token: TestGateway.adminToken))
            .sorted(), tickets, "unrestricted callers see every ticket, unlinked ones too")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(mine)", token: agent).status, 200)
        for ticket in [theirs, unlinked] {
            let before = try gateway.admin("GET", "/v1/tickets/\(ticket)").json
            for (method, path, body) in [("GET", "/v1/tickets/\(ticket)", nil), ("GET", "/v1/tickets/\(ticket)/history", nil),
                                         ("GET", "/v1/timeline?ticket_id=\(ticket)", nil),
                                         ("POST", "/v1/tickets/\(ticket)/status", #"{"status": "pending"}"#),
                                         ("POST", "/v1/tickets/\(ticket)/notes", #"{"text": "x"}"#),
                                         ("POST", "/v1/tickets/\(ticket)/messages", #"{"text": "x"}"#),
                                         ("POST", "/v1/tickets/\(ticket)/outlet", #"{"oid": "O1"}"#),
                                         ("PATCH", "/v1/tickets/\(ticket)", #"{"name": "x"}"#),
                                         ("DELETE", "/v1/tickets/\(ticket)", nil)] as [(String, String, String?)] {
                let response = try gateway.admin(method, path, body: body, token: agent)
                XCTAssertEqual(response.status, 404, "\(method) \(path): \(response.text)")
                XCTAssertEqual(response.json?["detail"]?.stringValue, "no ticket with id \(ticket)")
            }
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json, before, "nothing changed")
        }
        let away = try gateway.admin("POST", "/v1/tickets/\(mine)/outlet", body: #"{"oid": "O2"}"#, token: agent)
        XCTAssertEqual(away.status, 400, "no moving a ticket out of one's own scope")
        XCTAssertEqual(away.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, "oid")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(mine)").json?["oid"]?.stringValue, "O1")

        let outlets = try gateway.admin("GET", "/v1/pos/outlets", token: agent).json?["items"]?.arrayValue
        XCTAssertEqual(outlets?.compactMap { $0["oid"]?.stringValue }, ["O1"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets/O2", token: agent).status, 404)
        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets/O2", token: outletAgent).status, 200)

        let myContact = try XCTUnwrap(try gateway.admin("GET", "/v1/tickets/\(mine)").json?["contact_id"]?.stringValue)
        let theirContact = try XCTUnwrap(try gateway.admin("GET", "/v1/tickets/\(theirs)").json?["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(myContact)", token: agent).status, 200)
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(theirContact)", token: agent).status, 404)
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts?phone=%2B60123000002", token: agent).status, 404)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(theirContact)", body: #"{"emails": ["x@example.com"]}"#,
                                         token: agent).status, 404)
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts", body: #"{"phones": ["+60123000009"]}"#,
                                         token: agent).status, 403)
        let send = try gateway.admin("POST", "/v1/whatsapp/messages", body: #"{"to": "60123000002", "text": "hi"}"#,
                                     token: agent)
        XCTAssertEqual(send.status, 403, "messages to any phone are for unrestricted callers")
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/messages/1", token: agent).status, 403)
    }

    func testRenewalsAndTheirSummaryAreLimitedToTheScope() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.\(index)") }
        defer { cloud.stop() }
        let gateway = try TestGateway.whatsApp(cloud)
        defer { gateway.shutdown() }
        try gateway.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001"], "expiry_date": "2026-03-15", "status": "active"}"#)
        try gateway.pushOutlet("O3", #"{"fid": "F2", "franchise_name": "Teh", "name": "Teh Tarik", "phones": ["+60111000003"], "expiry_date": "2026-03-20", "status": "active"}"#)
        gateway.moveClock(to: "2026-03-01", "10:00")
        _ = try gateway.write { [scheduler = gateway.app.renewalScheduler, now = gateway.clock.now] in
            try scheduler.run(at: now, in: $0)
        }
        let f2 = try gateway.token(role: "renewal", scope: ["F2"])
        let all = try gateway.admin("GET", "/v1/renewals").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(Set(all.compactMap { $0["oid"]?.stringValue }), ["O1", "O3"])
        let mine = try gateway.admin("GET", "/v1/renewals", token: f2).json?["items"]?.arrayValue ?? []
        XCTAssertEqual(mine.compactMap { $0["oid"]?.stringValue }, ["O3"])
        let summary = try gateway.admin("GET", "/v1/renewals/summary?from=2026-03-01&to=2026-03-31", token: f2).json
        XCTAssertEqual(summary?["renewals"], 1)
        XCTAssertEqual(summary?["opted_out_phones"], .null, "phones are not one outlet's")
        XCTAssertEqual(try gateway.admin("GET", "/v1/renewals/summary?from=2026-03-01&to=2026-03-31").json?["renewals"],
                       2)
    }
}
