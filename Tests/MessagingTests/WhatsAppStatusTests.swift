import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Ingress
import XCTest

/// Meta's delivery statuses (webhooks) move outbound messages forward and never back, whatever order and however
/// often they arrive; a status that overtakes the send's own answer is kept and applied once the wamid is known.
final class WhatsAppStatusTests: WhatsAppGatewayTestCase {
    /// Unix seconds of the first report (statuses carry Meta's time).
    private let t0: Int64 = 1_767_226_200

    private func status(_ state: String, at offset: Int64, wamid: String = "wamid.M0", errorCode: Int64? = nil) -> JSONValue {
        WhatsAppBodyBuilder.status(wamid, state, at: t0 + offset, errorCode: errorCode)
    }

    func testSentDeliveredReadAreAppliedWithTheirTimes() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("sent", at: 0)])
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "sent")
        try gateway.postStatuses([status("delivered", at: 5)])
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "delivered")
        try gateway.postStatuses([status("read", at: 100)])
        let message = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(message["status"], "read")
        XCTAssertEqual(message["sent_at"]?.int64Value, t0 * 1000)
        XCTAssertEqual(message["delivered_at"]?.int64Value, (t0 + 5) * 1000)
        XCTAssertEqual(message["read_at"]?.int64Value, (t0 + 100) * 1000)
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'status'").map { $0["status"] },
                       ["applied", "applied", "applied"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_whatsapp_status_items_total", [("outcome", "applied")]), 3)
    }

    func testReadThenDeliveredDoesNotGoBack() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("read", at: 100), status("delivered", at: 5), status("sent", at: 0)])
        let message = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(message["status"], "read")
        // The late reports are still facts with their own times.
        XCTAssertEqual(message["delivered_at"]?.int64Value, (t0 + 5) * 1000)
        XCTAssertEqual(message["sent_at"]?.int64Value, t0 * 1000)
    }

    func testDuplicateStatusIsANoOp() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("delivered", at: 5)])
        let first = try XCTUnwrap(gateway.whatsAppMessage(id))
        // The same report again in another delivery (other bytes), and a repeat with another time.
        try gateway.postStatuses([status("delivered", at: 5), status("sent", at: 0)])
        try gateway.postStatuses([status("delivered", at: 50)])
        let again = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(again["status"], "delivered")
        XCTAssertEqual(again["delivered_at"], first["delivered_at"])
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox_items WHERE kind = 'status'").first?["n"], "2")
    }

    func testFailedStatusCarriesTheErrorAndDeliveredOutranksIt() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("sent", at: 0), status("failed", at: 10, errorCode: 131026)])
        let failed = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(failed["status"], "failed")
        XCTAssertEqual(failed["error"]?["code"], 131026)
        XCTAssertEqual(failed["error"]?["title"], "Message undeliverable")
        XCTAssertEqual(failed["error"]?["detail"], "Message failed to send.")
        XCTAssertEqual(failed["failed_at"]?.int64Value, (t0 + 10) * 1000)
        // "sent" arriving after the failure is just late; "delivered" proves the phone got it.
        try gateway.postStatuses([status("delivered", at: 20)])
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "delivered")
    }

    func testFailedAfterReadIsIgnored() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("read", at: 5), status("failed", at: 10, errorCode: 131000)])
        let message = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(message["status"], "read")
        XCTAssertEqual(message["error"], .null)
    }

    func testStatusForAnUnknownWamidIsKeptAndAppliedWhenTheSendRecordsIt() throws {
        // Meta's "sent" and "delivered" overtake the send's HTTP answer: no message has wamid.M0 yet.
        try gateway.postStatuses([status("sent", at: 0), status("delivered", at: 3)])
        XCTAssertEqual(try gateway.rows("SELECT status FROM whatsapp_unmatched_statuses ORDER BY status").map { $0["status"] },
                       ["delivered", "sent"])
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'status'").map { $0["status"] },
                       ["applied", "applied"])
        // Counted just after the pass commits, so a moment after the items read as applied.
        eventually("unmatched statuses counted") {
            self.gateway.app.metrics.counter("gateway_whatsapp_statuses_unmatched_total") == 2
        }
        XCTAssertTrue(try gateway.request("GET", "/metrics").text.contains("gateway_whatsapp_unmatched_statuses 2"))

        let id = try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "hello"}"#).id)
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "delivered"))
        XCTAssertEqual(message["wamid"], "wamid.M0")
        XCTAssertEqual(message["sent_at"]?.int64Value, t0 * 1000)
        XCTAssertEqual(message["delivered_at"]?.int64Value, (t0 + 3) * 1000)
        XCTAssertNotEqual(message["accepted_at"], .null)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM whatsapp_unmatched_statuses").first?["n"], "0")
    }

    func testStatusesThisGatewayDoesNotTrackAreIgnored() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([status("deleted", at: 5)])
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'status'").first?["status"], "ignored")
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "accepted")
    }
}
