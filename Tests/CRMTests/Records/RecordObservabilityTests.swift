import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Observability: the creation and failure events are counted in `/metrics`, and the alert rule file only
/// names metrics the gateway exposes.
final class RecordObservabilityTests: XCTestCase {
    func testMetricsExposeTheSeedEventsAndTheAlertRulesUseOnlyExposedMetrics() throws {
        let fixture = try RecordsFixture(chatPanel: { _, request in
            request.path.contains("room-fail") ? .status(404) : .status(200, body: RecordsFixture.history)
        })
        let gateway = fixture.gateway
        _ = try gateway.createDeal(#"{"name":"a","room_id":"room-ok","creator_flag":"bot","contact_id":"nobody"}"#)
        _ = try gateway.createDeal(#"{"name":"b","room_id":"room-fail","creator_flag":"agentic_ai"}"#, path: "/webhooks/agent")
        _ = try gateway.createTicket(#"{"name":"c","room_id":"room-ok","creator_flag":"bot"}"#)
        XCTAssertEqual(try gateway.command("ticket.created", #"{"name":"d","creator_flag":"agentic_ai"}"#,
                                               path: "/webhooks/agent").status, 201)
        XCTAssertEqual(try gateway.command("deal.created", #"{"name":"e","room_id":"room-x"}"#).status, 201)
        fixture.waitForSettledTimeline()
        fixture.events(3)
        eventually("omnichannel deliveries recorded") {
            gateway.app.metrics.counter("gateway_outbound_deliveries_total",
                                        [("endpoint", "omnichannel"), ("outcome", "delivered")]) == 3
        }

        let metrics = try gateway.request("GET", "/metrics").text
        for line in [
            "gateway_bot_deal_created_total 1", "gateway_ai_deal_created_total 1", "gateway_bot_ticket_created_total 1",
            "gateway_ai_ticket_created_total 1",
            #"gateway_timeline_log_creation_failed_total{kind="deal",reason="http_4xx"} 1"#,
            #"gateway_contact_association_failed_total{kind="deal"} 1"#,
            #"gateway_omnichannel_events_total{event="deal.created",outcome="enqueued"} 2"#,
            #"gateway_omnichannel_events_total{event="deal.created",outcome="not_propagated"} 1"#,
            #"gateway_record_commands_total{kind="ticket",action="created",origin="agent"} 1"#,
        ] {
            XCTAssertTrue(metrics.contains(line + "\n"), "missing: \(line)")
        }

        let rulesPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/alerts/deals-and-tickets.rules.yml").path
        let rules = try String(contentsOfFile: rulesPath, encoding: .utf8)
        XCTAssertTrue(rules.contains("alert: TimelineLogCreationFailureRateHigh"))
        XCTAssertTrue(rules.contains("> 0.05"))
        XCTAssertTrue(rules.contains("[1h]"))
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named.count, 8)
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }
    }
}
