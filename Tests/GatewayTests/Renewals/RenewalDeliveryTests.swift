import Foundation
import GatewayCore
import XCTest

/// What became of a reminder's message shows on its attempt: refused by the Cloud API, or reported failed by Meta
/// after it was sent, the attempt is `failed` with the error — and counts no more as a reminder.
final class RenewalDeliveryTests: XCTestCase {
    func testFailedMessagesMakeTheirAttemptsFailed() throws {
        let cloud = try StubSink { index, _ in
            index == 0 ? CloudAPIReply.error(131026, "Message undeliverable") : CloudAPIReply.accepted("wamid.R\(index)")
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
        try gateway.postStatuses([WhatsAppBodyBuilder.status(wamid, "failed", at: gateway.clock.now, errorCode: 131049,
                                                             errorTitle: "Not delivered to maintain ecosystem health")])
        XCTAssertEqual(try results().map { $0["result"] }, ["failed", "failed"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/renewals").json?["items"]?.arrayValue?.first?["reminded"], false)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_renewal_delivery_failures_total"), 2)
    }
}
