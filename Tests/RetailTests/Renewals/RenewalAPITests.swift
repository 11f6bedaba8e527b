import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import XCTest

/// `GET /v1/renewals` and `GET /v1/renewals/summary` through the real HTTP stack: renewals with their attempts,
/// filters and keyset paging, the summary's figures, and every bad parameter named in one 400.
final class RenewalAPITests: XCTestCase {
    /// A gateway (job off) with three outlets and one run on 1 March 2026 at 10:00 in Kuala Lumpur.
    private func gateway() throws -> (TestGateway, StubSink) {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.\(index)") }
        let gateway = try TestGateway.whatsApp(cloud)
        try gateway.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001"], "expiry_date": "2026-03-15", "status": "active"}"#)
        try gateway.pushOutlet("O2", #"{"fid": "F1", "name": "Kopi KLCC", "expiry_date": "2026-03-12", "status": "active"}"#)
        try gateway.pushOutlet("O3", #"{"fid": "F2", "franchise_name": "Teh", "name": "Teh Tarik", "phones": ["+60111000003"], "expiry_date": "2026-04-20", "status": "active"}"#)
        gateway.moveClock(to: "2026-03-01", "10:00")
        _ = try gateway.write { [scheduler = gateway.app.renewalScheduler, now = gateway.clock.now] in
            try scheduler.run(at: now, in: $0)
        }
        return (gateway, cloud)
    }

    func testRenewalsComeWithTheirAttemptsByDueDate() throws {
        let (gateway, _) = try gateway()
        let page = try XCTUnwrap(gateway.admin("GET", "/v1/renewals").json)
        let items = try XCTUnwrap(page["items"]?.arrayValue)
        XCTAssertEqual(items.map { $0["oid"] }, ["O2", "O1", "O3"])
        XCTAssertEqual(page["next_cursor"], .null)
        let first = items[1]
        XCTAssertEqual(first["due_date"], "2026-03-15")
        XCTAssertEqual(first["status"], "open")
        XCTAssertEqual(first["fid"], "F1")
        XCTAssertEqual(first["reminded"], true)
        XCTAssertEqual(first["renewed_at"], .null)
        let attempt = try XCTUnwrap(first["attempts"]?.arrayValue?.first)
        let messageID = try XCTUnwrap(attempt["message_id"]?.int64Value)
        XCTAssertEqual(attempt["offset_days"], -14)
        XCTAssertEqual(attempt["scheduled_date"], "2026-03-01")
        XCTAssertEqual(attempt["phone"], "+60111000001")
        XCTAssertEqual(attempt["channel"], "whatsapp")
        XCTAssertEqual(attempt["template"], "renewal_reminder_before")
        XCTAssertEqual(attempt["language"], "en")
        XCTAssertEqual(attempt["result"], "sent")
        XCTAssertEqual(attempt["sent_at"], .string(Timestamps.rfc3339(TestGateway.millis("2026-03-01", "10:00"))))
        XCTAssertEqual(try gateway.whatsAppMessage(messageID)?["reference"], attempt["id"].map { .string("\($0.int64Value!)") })
        // The outlet without phones: its D-14 is recorded without a phone.
        let noPhone = try XCTUnwrap(items[0]["attempts"]?.arrayValue?.first)
        XCTAssertEqual(items[0]["attempts"]?.arrayValue?.count, 1)
        XCTAssertEqual(noPhone["phone"], .null)
        XCTAssertEqual(noPhone["result"], "skipped_no_phone")
        XCTAssertEqual(noPhone["message_id"], .null)
        XCTAssertEqual(items[2]["attempts"], [], "due beyond D-14: listed before any reminder")
    }

    func testFiltersAndPages() throws {
        let (gateway, _) = try gateway()
        func oids(_ query: String) throws -> [String] {
            try gateway.admin("GET", "/v1/renewals?" + query).json?["items"]?.arrayValue?
                .compactMap { $0["oid"]?.stringValue } ?? []
        }
        XCTAssertEqual(try oids("oid=O3"), ["O3"])
        XCTAssertEqual(try oids("due_before=2026-03-15"), ["O2"])
        XCTAssertEqual(try oids("status=open&due_before=2026-04-21"), ["O2", "O1", "O3"])
        XCTAssertEqual(try oids("status=renewed"), [])
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try XCTUnwrap(gateway.admin("GET", "/v1/renewals?limit=2" + (cursor.map { "&cursor=" + $0 } ?? "")).json)
            seen += page["items"]?.arrayValue?.compactMap { $0["oid"]?.stringValue } ?? []
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil
        XCTAssertEqual(seen, ["O2", "O1", "O3"])
    }

    func testTheSummaryCountsTheCyclesDueInThePeriod() throws {
        let (gateway, _) = try gateway()
        let summary = try XCTUnwrap(gateway.admin("GET", "/v1/renewals/summary?from=2026-03-01&to=2026-03-31").json)
        XCTAssertEqual(summary["from"], "2026-03-01")
        XCTAssertEqual(summary["renewals"], 2)
        XCTAssertEqual(summary["reminded"], 1)
        XCTAssertEqual(summary["recovery_rate"], .null, "no reminded cycle has passed its expiry yet")
        XCTAssertEqual(summary["attempts"]?["sent"], 1)
        XCTAssertEqual(summary["attempts"]?["skipped_no_phone"], 1)
        XCTAssertEqual(summary["opted_out_phones"], 0)
        // Defaults: the 30 days up to today (1 March).
        XCTAssertEqual(try gateway.admin("GET", "/v1/renewals/summary").json?["from"], "2026-01-30")
    }

    func testBadParametersAreNamedInOne400() throws {
        let (gateway, _) = try gateway()
        func fields(_ path: String) throws -> [String] {
            let response = try gateway.admin("GET", path)
            XCTAssertEqual(response.status, 400, path)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
            return ClientResponseSummary(response).fields
        }
        XCTAssertEqual(try fields("/v1/renewals?status=paid&due_before=2026-02-30&oid=a%20b&limit=0&cursor=x"),
                       ["status", "due_before", "oid", "limit", "cursor"])
        XCTAssertEqual(try fields("/v1/renewals?limit=501&cursor=2026-03-01_0"), ["limit", "cursor"])
        XCTAssertEqual(try fields("/v1/renewals/summary?from=2026-1-1&to=tomorrow"), ["from", "to"])
        XCTAssertEqual(try fields("/v1/renewals/summary?from=2026-03-02&to=2026-03-01"), ["to"])
        for path in ["/v1/renewals", "/v1/renewals/summary"] {
            XCTAssertEqual(try gateway.admin("GET", path, token: nil).status, 401)
            XCTAssertEqual(try gateway.admin("GET", path, token: "wrong").status, 401)
        }
    }
}
