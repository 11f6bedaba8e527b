import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Ingress
import XCTest

/// How far applying lags behind acknowledging, as `/metrics` shows it: the backlog at each stage and the age of the
/// oldest delivery not fully applied, on the app's clock.
final class InboxLagTests: XCTestCase {
    func testBacklogAndLagFollowADeliveryFromReceiptToApplied() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-lag-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = GatewayConfig()
        config.store.path = directory.appendingPathComponent("gateway.sqlite").path
        config.whatsapp.templatesDirectory = TestGateway.templatesDirectory
        let clock = ManualClock(start: 1_800_000_000_000)
        // Not started: the test runs the normalizer and the applier by hand.
        let app = try GatewayApp(config: config, log: EventLog(minimum: .error), clock: { clock.now })
        defer { app.shutdown() }
        func gauge(_ series: String) -> String? {
            app.metrics.render().split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .map { String($0.dropFirst(series.count + 1)) }
        }
        XCTAssertEqual(gauge("gateway_inbox_lag_seconds"), "0")

        let body = WhatsAppBodyBuilder.message(id: "wamid.LAG", phone: "60111222333", bsuid: nil,
                                               timestamp: 1_800_000_000)
        let stored = expectation(description: "stored")
        app.store.appendDelivery(NewDelivery(
            publicID: "inb_lag", source: .whatsapp, dedupeKey: "whatsapp:lag", receivedAtMillis: clock.now,
            requestID: nil, traceparent: nil, body: body, responseStatus: 200, responseBody: [])) { _ in stored.fulfill() }
        wait(for: [stored], timeout: 5)
        clock.advance(milliseconds: 90_000)
        XCTAssertEqual(gauge(#"gateway_inbox_backlog{stage="normalize"}"#), "1")
        XCTAssertEqual(gauge("gateway_inbox_lag_seconds"), "90")

        XCTAssertEqual(app.normalizer.drainOnce(), 1)
        XCTAssertEqual(gauge(#"gateway_inbox_backlog{stage="normalize"}"#), "0")
        XCTAssertEqual(gauge(#"gateway_inbox_backlog{stage="apply"}"#), "2", "the message and its contact")
        XCTAssertEqual(gauge("gateway_inbox_lag_seconds"), "90", "counted from receipt, not normalization")

        _ = app.inboundApplier.drainOnce()
        XCTAssertEqual(gauge(#"gateway_inbox_backlog{stage="apply"}"#), "0")
        XCTAssertEqual(gauge("gateway_inbox_lag_seconds"), "0")
    }

    func testTheAlertRulesNameOnlySeriesTheGatewayExposes() throws {
        let gateway = try TestGateway()
        let metrics = try gateway.request("GET", "/metrics").text
        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/inbox.rules.yml"),
                               encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_inbox_lag_seconds", "gateway_inbox_backlog", "gateway_store_write_queue_depth"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics lacks")
        }
    }
}
