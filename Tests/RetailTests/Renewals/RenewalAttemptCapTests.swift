import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPTesting
import Ingress
import Retail
import XCTest

/// `renewals.max_attempts_per_renewal` end to end: the daily job, the stub Cloud API and the renewals API.
final class RenewalAttemptCapTests: XCTestCase {
    func testRemindersBeyondTheCapAreRecordedSkippedAndNotSent() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.C\(index)") }
        let gateway = try TestGateway.renewals(cloud) { $0.renewals.maxAttemptsPerRenewal = 2 }
        try gateway.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001"], "expiry_date": "2026-03-15", "status": "active"}"#)
        for date in ["2026-03-01", "2026-03-08", "2026-03-14", "2026-03-18"] {
            gateway.runRenewals(on: date)
            gateway.moveClock(to: date, "09:00")
            gateway.deliverDueMessages()
        }
        XCTAssertEqual(cloud.received.count, 2, "two rounds, then the cap")
        let renewal = try XCTUnwrap(gateway.admin("GET", "/v1/renewals?oid=O1").json?["items"]?.at(0))
        XCTAssertEqual(renewal["status"], "open")
        XCTAssertEqual(renewal["attempts"]?.arrayValue?.map {
            "\($0["offset_days"]?.int64Value ?? 0) \($0["result"]?.stringValue ?? "")"
        }, ["-14 sent", "-7 sent", "-1 skipped_max_attempts", "3 skipped_max_attempts"])
        XCTAssertEqual(renewal["attempts"]?.at(2)?["message_id"], .null)
        let summary = try XCTUnwrap(gateway.admin("GET", "/v1/renewals/summary?from=2026-03-01&to=2026-03-31").json)
        XCTAssertEqual(summary["attempts"]?["skipped_max_attempts"], 2)
        XCTAssertEqual(summary["attempts"]?["sent"], 2)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_renewal_reminders_total",
                                                   [("result", "skipped_max_attempts")]), 2)
    }
}
