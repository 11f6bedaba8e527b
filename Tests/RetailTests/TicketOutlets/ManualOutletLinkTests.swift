import Configuration
import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// `POST /v1/tickets/{id}/outlet`: agents link what resolution could not, or correct it; every client mistake is a
/// 4xx problem naming the field, with nothing written.
final class ManualOutletLinkTests: XCTestCase {
    private var gateway: TestGateway!
    /// An unlinked ticket: the POS knows the outlets, but not the customer's phone.
    private var id: Int64 = 0

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets { $0.server.maxBodyBytes = 2048 }
        try gateway.pushOutlet("O1", name: "Kopi Co Bangsar", phones: [])
        try gateway.pushOutlet("O2", name: "Teh Tarik Subang", phones: [], fid: "F2", franchise: "Teh Co")
        id = try gateway.openTicket()
    }

    override func tearDown() { gateway = nil }

    func testAgentLinksAnUnlinkedTicketAndCanCorrectIt() throws {
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=unlinked").count, 1)
        let response = try gateway.linkOutlet(id, #"{"oid": "O1", "actor": "agent-7"}"#)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.json?["fid"], "F1")
        XCTAssertEqual(response.json?["oid"], "O1")
        XCTAssertEqual(response.json?["outlet_status"], "linked")
        XCTAssertEqual(response.json?["outlet_name"], "Kopi Co Bangsar")
        XCTAssertEqual(try gateway.ticket(id), response.json)
        let contact = try XCTUnwrap(response.json?["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.contactOutlets(), ["\(contact)|O1|manual"])
        let linked = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(linked["action"], "outlet_linked")
        XCTAssertEqual(linked["actor"], "agent-7")
        XCTAssertEqual(linked["detail"]?["method"], "manual")
        XCTAssertEqual(try gateway.conversationTickets("outlet_status=unlinked").count, 0)
        XCTAssertEqual(gateway.outletResolutions("manual"), 1)

        let again = try gateway.linkOutlet(id, #"{"oid": "O1", "actor": "agent-8"}"#)
        XCTAssertEqual(again.status, 200)
        XCTAssertEqual(again.json?["version"], response.json?["version"], "the same outlet again changes nothing")
        XCTAssertEqual(try gateway.ticketList(id, "history").count, 2)
        XCTAssertEqual(gateway.outletResolutions("manual"), 1)

        let corrected = try gateway.linkOutlet(id, #"{"oid": "O2", "actor": "agent-8"}"#)
        XCTAssertEqual(corrected.json?["fid"], "F2")
        XCTAssertEqual(corrected.json?["oid"], "O2")
        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(history.last?["from"], "O1")
        XCTAssertEqual(history.last?["to"], "O2")
        XCTAssertEqual(try gateway.contactOutlets(), ["\(contact)|O1|manual", "\(contact)|O2|manual"])
    }

    func testBadRequestsAreFieldLevelProblemsAndWriteNothing() throws {
        let before = try gateway.ticket(id)
        func problem(_ path: String, _ body: [UInt8], token: String? = TestGateway.adminToken) throws -> (Int, [String]) {
            var headers = [("Content-Type", "application/json")]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            let response = try gateway.request("POST", path, headers: headers, body: body)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", response.text)
            let fields = response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            return (response.status, fields)
        }
        let path = "/v1/tickets/\(id)/outlet"
        func body(_ text: String) -> [UInt8] { Array(text.utf8) }
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "actor": "admin"}"#), token: nil).0, 401)
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "#)).0, 400)
        XCTAssertEqual(try problem(path, [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]).0, 400, "bad UTF-8")
        XCTAssertEqual(try problem(path, body("[1]")).1, ["body"])
        XCTAssertEqual(try problem(path, body("{}")).1, ["oid"])
        XCTAssertEqual(try problem(path, body(#"{"oid": 7, "actor": ["a"]}"#)).1, ["oid", "actor"])
        XCTAssertEqual(try problem(path, body(#"{"oid": "O 1", "actor": ""}"#)).1, ["oid", "actor"])
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "actor": "admin", "fid": "F1"}"#)).1, ["fid"])
        let unknown = try problem(path, body(#"{"oid": "O9", "actor": "admin"}"#))
        XCTAssertEqual(unknown.0, 400, "an OID the POS data does not hold")
        XCTAssertEqual(unknown.1, ["oid"])
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "actor": "\#(String(repeating: "a", count: 129))"}"#)).1,
                       ["actor"])
        XCTAssertEqual(try problem("/v1/tickets/999999/outlet", body(#"{"oid": "O1", "actor": "admin"}"#)).0, 404)
        XCTAssertEqual(try problem("/v1/tickets/abc/outlet", body(#"{"oid": "O1", "actor": "admin"}"#)).1, ["id"])
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "actor": "\#(String(repeating: "a", count: 3000))"}"#)).0,
                       413)

        XCTAssertEqual(try gateway.ticket(id), before)
        XCTAssertEqual(try gateway.contactOutlets(), [])
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened"])

        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tickets/\(id)").status, 204)
        XCTAssertEqual(try problem(path, body(#"{"oid": "O1", "actor": "admin"}"#)).0, 404, "a deleted ticket")
    }
}
