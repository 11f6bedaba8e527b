import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// `/v1/deals` and `/v1/tickets` for bearer-token callers: CRUD, delete semantics, `Idempotency-Key`, listing.
final class RecordRESTTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    func testEveryRouteNeedsTheBearerToken() throws {
        for (method, path) in [("POST", "/v1/deals"), ("GET", "/v1/deals"), ("GET", "/v1/deals/1"),
                               ("PATCH", "/v1/tickets/1"), ("DELETE", "/v1/tickets/1"), ("GET", "/v1/rooms/r"),
                               ("GET", "/v1/timeline?deal_id=1")] {
            for token in [nil, "wrong"] {
                let response = try gateway.admin(method, path, body: #"{"name":"x"}"#, token: token)
                XCTAssertEqual(response.status, 401, "\(method) \(path)")
                XCTAssertEqual(response.header(named: "WWW-Authenticate"), #"Bearer realm="gateway""#)
            }
        }
        XCTAssertEqual(try gateway.count("deals"), 0)
    }

    func testCreateReadUpdateDelete() throws {
        let created = try gateway.admin("POST", "/v1/deals", body: #"{"name":"REST deal","stage":"New","size":10.5}"#)
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value)
        XCTAssertEqual(created.json?["origin"], "api")
        XCTAssertEqual(created.json?["source"], "api")
        XCTAssertEqual(created.json?["size"]?.doubleValue, 10.5)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/\(id)").json, created.json)

        let patched = try gateway.admin("PATCH", "/v1/deals/\(id)", body: #"{"stage":"Won","owner":7,"size":null}"#)
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.json?["stage"], "Won")
        XCTAssertEqual(patched.json?["owner"], "7")
        XCTAssertEqual(patched.json?["size"], .null)
        XCTAssertEqual(patched.json?["version"], 2)

        let deleted = try gateway.admin("DELETE", "/v1/deals/\(id)")
        XCTAssertEqual(deleted.status, 204)
        XCTAssertEqual(deleted.body, [])
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/\(id)").status, 404)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/\(id)").status, 204, "deleting again is idempotent")
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/deals/\(id)", body: #"{"stage":"x"}"#).status, 404)
        let never = try gateway.admin("DELETE", "/v1/deals/99999")
        XCTAssertEqual(never.status, 404)
        XCTAssertEqual(never.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/tickets/99999", body: #"{"status":"x"}"#).status, 404)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/abc").status, 400)
    }

    func testIdempotencyKeyReplaysTheFirstAnswer() throws {
        func post(_ key: String, _ body: String, _ path: String = "/v1/deals") throws -> ClientResponse {
            try gateway.request("POST", path, headers: [
                ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", key),
            ], body: Array(body.utf8))
        }
        let first = try post("key-1", #"{"name":"Once","room_id":"room-k","creator_flag":"bot"}"#)
        let again = try post("key-1", #"{"name":"Once","room_id":"room-k","creator_flag":"bot"}"#)
        XCTAssertEqual(first.status, 201)
        XCTAssertEqual(again.status, 201)
        XCTAssertEqual(again.body, first.body)
        XCTAssertNil(first.header(named: "Idempotent-Replayed"))
        XCTAssertEqual(again.header(named: "Idempotent-Replayed"), "true")
        XCTAssertEqual(try gateway.count("deals"), 1)
        XCTAssertEqual(try gateway.omnichannelOutbox().count, 1, "one event for one applied create")

        let reused = try post("key-1", #"{"name":"Different"}"#)
        XCTAssertEqual(reused.status, 409)
        XCTAssertEqual(try post("key-1", #"{"name":"Ticket"}"#, "/v1/tickets").status, 201, "keys are per route")
        XCTAssertEqual(try post("bad key", #"{"name":"x"}"#).status, 400)
        XCTAssertEqual(try gateway.count("deals"), 1)
        // A rejected POST stores no key: the corrected retry with the same key is applied.
        XCTAssertEqual(try post("key-2", #"{"name":""}"#).status, 400)
        XCTAssertEqual(try post("key-2", #"{"name":"Fixed"}"#).status, 201)
    }

    func testListingFiltersAndPages() throws {
        try gateway.addContacts("c-1")
        for index in 0..<5 {
            let room = index < 3 ? "room-a" : "room-b"
            let contact = index == 4 ? #","contact_id":"c-1""# : ""
            XCTAssertEqual(try gateway.admin("POST", "/v1/deals", body: #"{"name":"D\#(index)","room_id":"\#(room)"\#(contact)}"#).status, 201)
        }
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/deals/1").status, 204)
        let roomA = try gateway.admin("GET", "/v1/deals?room_id=room-a")
        XCTAssertEqual(roomA.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["D2", "D1"])
        let byContact = try gateway.admin("GET", "/v1/deals?contact_id=c-1")
        XCTAssertEqual(byContact.json?["items"]?.arrayValue?.count, 1)
        let page1 = try gateway.admin("GET", "/v1/deals?limit=2")
        XCTAssertEqual(page1.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["D4", "D3"])
        let cursor = try XCTUnwrap(page1.json?["next_cursor"]?.stringValue)
        let page2 = try gateway.admin("GET", "/v1/deals?limit=2&cursor=\(cursor)")
        XCTAssertEqual(page2.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["D2", "D1"])
        let bad = try gateway.admin("GET", "/v1/deals?limit=0&cursor=x")
        XCTAssertEqual(ClientResponseSummary(bad).fields.sorted(), ["cursor", "limit"])
    }
}
