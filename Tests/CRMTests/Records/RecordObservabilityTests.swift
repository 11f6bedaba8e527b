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
            "# HELP gateway_record_commands_total Deal and ticket commands applied, by kind, action and origin API",
            "# HELP gateway_bot_deal_created_total Records created by a Bot creator",
            "# HELP gateway_ai_ticket_created_total Records created by a AI creator",
            "# HELP gateway_contact_association_failed_total Records written without their contact_id because no such "
                + "contact exists",
            "# HELP gateway_omnichannel_events_total Omnichannel refresh events by event and outcome (enqueued, "
                + #"not_propagated); delivery failures are gateway_outbound_*{endpoint="omnichannel"}"#,
            #"gateway_outbound_attempts_total{endpoint="omnichannel",result="2xx"} 3"#,
            #"gateway_outbound_deliveries_total{endpoint="omnichannel",outcome="delivered"} 3"#,
            #"gateway_outbound_attempt_duration_seconds_count{endpoint="omnichannel"} 3"#,
            "# HELP gateway_outbound_attempts_total Outbound delivery attempts by endpoint and result",
            "# TYPE gateway_outbound_attempt_duration_seconds histogram",
        ] {
            XCTAssertTrue(metrics.contains(line + "\n"), "missing: \(line)")
        }
        // Series the gateway knows but never counted stay off the page, as before they were first counted.
        for absent in [#"gateway_record_commands_total{kind="deal",action="deleted""#,
                       #"gateway_contact_association_failed_total{kind="ticket"}"#,
                       #"gateway_omnichannel_events_total{event="ticket.deleted""#] {
            XCTAssertFalse(metrics.contains(absent), "uncounted series shown: \(absent)")
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
