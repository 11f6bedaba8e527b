import Configuration
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Retail
import XCTest

/// `POST/GET /v1/pos/outlets…` through the real HTTP stack: the POS pushes a renewal, readers look outlets up, and
/// every client mistake is a 4xx problem naming the field with nothing written.
final class POSAPITests: XCTestCase {
    static let kopi = #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Co Bangsar", "phones": ["012-3456789"], "expiry_date": "2026-12-31", "status": "active"}"#

    private func gateway(observer: RecordingOutletObserver = RecordingOutletObserver(),
                         maxBody: Int? = nil) throws -> TestGateway {
        try TestGateway(outletObserver: observer) { config in
            config.adminToken = TestGateway.adminToken
            if let maxBody { config.server.maxBodyBytes = maxBody }
        }
    }

    func testAPushCreatesAnOutletAndARenewalUpdatesIt() throws {
        let observer = RecordingOutletObserver()
        let gateway = try gateway(observer: observer)
        let created = try gateway.admin("POST", "/v1/pos/outlets/O1", body: Self.kopi)
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.json?["phones"], ["+60123456789"])
        XCTAssertEqual(created.json?["time_zone"], "Asia/Kuala_Lumpur")
        XCTAssertEqual(created.json?["franchise_name"], "Kopi Co")

        gateway.clock.advance(milliseconds: 60_000)
        let renewed = try gateway.admin("POST", "/v1/pos/outlets/O1", body: #"{"expiry_date": "2027-12-31", "oid": "O1"}"#)
        XCTAssertEqual(renewed.status, 200, renewed.text)
        XCTAssertEqual(renewed.json?["expiry_date"], "2027-12-31")
        XCTAssertEqual(renewed.json?["name"], "Kopi Co Bangsar", "fields left out are kept")
        XCTAssertNotEqual(renewed.json?["updated_at"], created.json?["updated_at"])
        let again = try gateway.admin("POST", "/v1/pos/outlets/O1", body: #"{"expiry_date": "2027-12-31"}"#)
        XCTAssertEqual(again.json?["updated_at"], renewed.json?["updated_at"], "the same push changes nothing")

        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets/O1").json, renewed.json)
        XCTAssertEqual(observer.changes.map(\.source), [.push, .push])
        XCTAssertEqual(observer.changes.last?.before?.expiryDate.description, "2026-12-31")
        XCTAssertEqual(try gateway.rows("SELECT updated_via FROM outlets").first?["updated_via"], "push")
    }

    func testPushMistakesAreFieldLevel400sAndWriteNothing() throws {
        let gateway = try gateway(maxBody: 1024)
        func problem(_ path: String, _ body: String, token: String? = TestGateway.adminToken) throws -> (Int, [String]) {
            let response = try gateway.admin("POST", path, body: body, token: token)
            let fields = response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", body)
            return (response.status, fields)
        }
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", Self.kopi, token: nil).0, 401)
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", Self.kopi, token: "wrong").0, 401)
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", #"{"fid": "#).0, 400)
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", "[1]") .1, ["body"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", "{}").1, ["fid"], "a new outlet needs its franchise first")
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", #"{"fid": "F1", "franchise_name": "Kopi Co"}"#).1,
                       ["name", "expiry_date", "status"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", #"{"fid": "F9", "name": "x", "expiry_date": "2026-01-01", "status": "active"}"#).1,
                       ["franchise_name"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", """
            {"fid": ["F1"], "name": 7, "phones": ["012-345678a", 5], "expiry_date": "2026-13-01", "status": "paid",
             "time_zone": "KL", "extra": true}
            """).1, ["extra", "fid", "name", "phones[1]", "expiry_date", "status", "time_zone"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", #"{"phones": ["012-345678a"]}"#).1, ["phones[0]"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", #"{"oid": "O2"}"#).1, ["oid"])
        XCTAssertEqual(try problem("/v1/pos/outlets/O%201", Self.kopi).1, ["oid"])
        let badUTF8 = try gateway.request("POST", "/v1/pos/outlets/O1",
                                          headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                          body: Array(#"{"name": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        XCTAssertEqual(badUTF8.status, 400)
        let oversized = #"{"name": "\#(String(repeating: "x", count: 2_000))"}"#
        XCTAssertEqual(try problem("/v1/pos/outlets/O1", oversized).0, 413)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outlets").first?["n"], "0")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM franchises").first?["n"], "0",
                       "the franchise of a refused push is not left behind")
    }

    func testOutletsAreListedByFranchiseAndPhone() throws {
        let gateway = try gateway()
        for (oid, fid, phone) in [("O1", "F1", "012-3456789"), ("O2", "F1", "013-1111111"), ("O3", "F2", "012-3456789")] {
            let body = #"{"fid": "\#(fid)", "franchise_name": "Franchise \#(fid)", "name": "\#(oid)", "phones": ["\#(phone)"], "expiry_date": "2026-12-31", "status": "active"}"#
            XCTAssertEqual(try gateway.admin("POST", "/v1/pos/outlets/\(oid)", body: body).status, 201)
        }
        func oids(_ query: String) throws -> [String] {
            try gateway.admin("GET", "/v1/pos/outlets\(query)").json?["items"]?.arrayValue?
                .compactMap { $0["oid"]?.stringValue } ?? []
        }
        XCTAssertEqual(try oids(""), ["O1", "O2", "O3"])
        XCTAssertEqual(try oids("?fid=F1"), ["O1", "O2"])
        XCTAssertEqual(try oids("?phone=%2B60%2012-345%206789"), ["O1", "O3"])
        XCTAssertEqual(try oids("?phone=0123456789&fid=F2"), ["O3"])
        let first = try gateway.admin("GET", "/v1/pos/outlets?limit=2").json
        XCTAssertEqual(first?["next_cursor"], "O2")
        XCTAssertEqual(try oids("?limit=2&cursor=O2"), ["O3"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets?limit=2&cursor=O2").json?["next_cursor"], .null)

        let bad = try gateway.admin("GET", "/v1/pos/outlets?fid=F%201&phone=abc&limit=0&cursor=%2F")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, ["fid", "cursor", "phone", "limit"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets/O404").status, 404)
        XCTAssertEqual(try gateway.admin("GET", "/v1/pos/outlets", token: nil).status, 401)
    }
}
