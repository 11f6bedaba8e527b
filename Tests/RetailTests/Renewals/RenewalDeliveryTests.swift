import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Ingress
import Retail
import XCTest

/// What became of a reminder's message shows on its attempt: refused by the Cloud API, or reported failed by Meta
/// after it was sent, the attempt is `failed` with the error — and counts no more as a reminder.
final class RenewalDeliveryTests: XCTestCase {
    func testFailedMessagesMakeTheirAttemptsFailed() throws {
        // The first phone's reminder is refused, whichever of the two arrives first.
        let cloud = try StubSink { index, request in
            request.text.contains("60111000001") ? CloudAPIReply.error(131026, "Message undeliverable")
                : CloudAPIReply.accepted("wamid.R\(index)")
        }
        let gateway = try TestGateway.renewals(cloud)
        try gateway.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001", "+60111000002"], "expiry_date": "2026-03-15", "status": "active"}"#)
        gateway.runRenewals(on: "2026-03-01")
        gateway.moveClock(to: "2026-03-01", "09:00")
        gateway.deliverDueMessages()
        let results = { try gateway.rows("SELECT phone, result, detail FROM renewal_attempts ORDER BY phone") }
        let first = try results()
        XCTAssertEqual(first.map { $0["result"] }, ["failed", "sent"])
        XCTAssertEqual(first[0]["detail"], "131026 Message undeliverable")

        // Meta reports the accepted one failed later.
        let wamid = try XCTUnwrap(gateway.rows("SELECT wamid FROM whatsapp_outbound_messages WHERE status = 'accepted'")
            .first?["wamid"])
        try gateway.postStatuses([WhatsAppBodyBuilder.status(wamid, "failed", at: gateway.clock.seconds, errorCode: 131049,
                                                             errorTitle: "Not delivered to maintain ecosystem health")])
        XCTAssertEqual(try results().map { $0["result"] }, ["failed", "failed"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/renewals").json?["items"]?.arrayValue?.first?["reminded"], false)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_renewal_delivery_failures_total"), 2)
    }
}

/// The daily job across a restart: a day missed while the gateway was down is run when it starts again.
final class RenewalDailyJobTests: XCTestCase {
    func testAMissedDayIsRunAtStart() throws {
        let store = try TestStore()
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.J\(index)") }
        func start(_ date: String) throws -> TestGateway {
            try TestGateway.renewals(cloud, clockStart: TestGateway.millis(date, "10:00"), store: store)
        }
        let first = try start("2026-03-01")
        try first.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001"], "expiry_date": "2026-03-10", "status": "active"}"#)
        // The start-up run may have come before the outlet: the day's run again (idempotent) takes it.
        _ = try first.write { [scheduler = first.app.renewalScheduler, now = first.clock.now] in
            try scheduler.run(at: now, in: $0)
        }
        // Delivered before the stop: a reminder still queued after three days down would be past the outbound retry
        // horizon (24 h) at the next start, and dead-lettered unsent.
        cloud.waitForRequests(1)
        eventually("the D-14 reminder is accepted") {
            try first.rows("SELECT 1 FROM renewal_attempts WHERE offset_days = -14 AND result = 'sent'").count == 1
        }
        first.shutdown()

        // Down on the 2nd and 3rd (D-7 was the 3rd); back on the 4th at 10:00: D-7 goes at start, without a wake.
        let second = try start("2026-03-04")
        eventually("the start-up run") {
            try !second.rows("SELECT 1 FROM renewal_runs WHERE run_date = '2026-03-04'").isEmpty
        }
        XCTAssertEqual(try second.rows("SELECT offset_days, result, sent_at FROM renewal_attempts ORDER BY offset_days"), [
            ["offset_days": "-14", "result": "sent", "sent_at": String(TestGateway.millis("2026-03-01", "10:00"))],
            ["offset_days": "-7", "result": "sent", "sent_at": String(TestGateway.millis("2026-03-04", "10:00"))],
        ])
    }
}
