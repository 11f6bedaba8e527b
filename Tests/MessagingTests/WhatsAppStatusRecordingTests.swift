import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Ingress
import Messaging
import XCTest

/// On the embedded engine a status is applied in the writer operation that records it, not by the status consumer's
/// polling pass, and is counted in the status series alone, as that consumer counts it.
final class WhatsAppStatusRecordingTests: WhatsAppGatewayTestCase {
    func testAStatusIsAppliedAsItIsRecordedWithoutThePollingConsumer() throws {
        _ = try gateway.sqliteStore()
        gateway.app.whatsAppStatusApplier.stop()
        let id = try acceptedMessage()
        let handled = gateway.app.metrics.counter("gateway_identity_items_total", [("outcome", "applied")])
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: 1_767_226_200),
                                  WhatsAppBodyBuilder.status("wamid.M9", "sent", at: 1_767_226_200)])
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "delivered")
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'status'").map { $0["status"] },
                       ["applied", "applied"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_whatsapp_status_items_total", [("outcome", "applied")]), 2)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_whatsapp_statuses_unmatched_total"), 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_identity_items_total", [("outcome", "applied")]), handled)
    }

    func testAStatusThePollingConsumerAppliesIsCountedTheSameWay() throws {
        _ = try gateway.sqliteStore()
        // Recorded while the inbound applier is not running: left pending for the status consumer.
        gateway.app.inboundApplier.stop()
        let id = try acceptedMessage()
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: 1_767_226_200),
                                  WhatsAppBodyBuilder.status("wamid.M9", "sent", at: 1_767_226_200)])
        XCTAssertEqual(try gateway.whatsAppMessage(id)?["status"], "delivered")
        // Counted just after the consumer's pass commits, so a moment after the items read as applied.
        eventually("statuses counted") {
            self.gateway.app.metrics.counter("gateway_whatsapp_status_items_total", [("outcome", "applied")]) == 2
                && self.gateway.app.metrics.counter("gateway_whatsapp_statuses_unmatched_total") == 1
        }
    }
}
