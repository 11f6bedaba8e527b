import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPTesting
import Ingress
import Storage
import XCTest

/// First-response and resolution clocks, breaches found by the scheduler on the injected clock,
/// recorded once, counted and announced through the outbox.
final class TicketSLATests: XCTestCase {
    private var gateway: TestGateway!
    private var id: Int64 = 0

    private func start(configure: (inout GatewayConfig) -> Void = { _ in }) throws {
        gateway = try TestGateway.tickets(configure: configure)
        id = try gateway.openTicket()
    }

    override func tearDown() { gateway = nil }

    /// One scheduler pass at the gateway's current (test) time.
    private func check() -> Int { gateway.app.ticketSLAScheduler.checkOnce() }

    private func breaches() throws -> [String] {
        try gateway.rows("SELECT kind FROM ticket_sla_breaches WHERE ticket_id = ? ORDER BY id", [.integer(id)])
            .compactMap { $0["kind"] }
    }

    private func respond(at: Int64) throws {
        let store = gateway.app.store
        try store.database.write { [id] c in
            _ = try TicketSLA.recordFirstResponse(ticketID: id, at: at, actor: "agent-7", in: c)
        }
    }

    func testFirstResponseBreachIsRecordedOnceWithItsEvent() throws {
        let sink = try StubSink()
        try start { $0.outbound.endpoints["events"] = OutboundEndpointSettings(url: sink.url) }
        let openedAt = gateway.clock.now
        gateway.advance(minutes: 4)
        XCTAssertEqual(check(), 0, "not due yet")
        gateway.advance(minutes: 2)
        XCTAssertEqual(check(), 1)
        XCTAssertEqual(check(), 0, "a breach is recorded once")
        XCTAssertEqual(try breaches(), ["first_response"])

        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["sla_status"], "breached")
        XCTAssertEqual(ticket["first_response_breached_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        let entry = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(entry["action"], "sla_breached")
        XCTAssertEqual(entry["to"], "first_response")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_sla_breaches_total", [("kind", "first_response")]), 1)
        let metrics = gateway.app.metrics.render()
        XCTAssertTrue(metrics.contains(#"gateway_ticket_sla_breaches_total{kind="first_response"} 1"#))
        let rules = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/alerts/tickets.rules.yml").path, encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_ticket_sla_breaches_total", "gateway_tickets_opened_total"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }

        let delivered = try XCTUnwrap(sink.waitForRequests(1).first)
        let dueAt = openedAt + 5 * 60_000
        XCTAssertEqual(delivered.webhookID, "ticket.sla_breached:\(id):first_response:\(dueAt)")
        let event = try JSONParser.parse(delivered.body)
        XCTAssertEqual(event["type"], "ticket.sla_breached")
        XCTAssertEqual(event["data"]?["ticket_id"]?.int64Value, id)
        XCTAssertEqual(event["data"]?["kind"], "first_response")
        XCTAssertEqual(event["data"]?["due_at"]?.stringValue, Timestamps.rfc3339(dueAt))
        XCTAssertEqual(event["data"]?["breached_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        XCTAssertEqual(event["data"]?["queue"], "support")
        XCTAssertEqual(event["data"]?["category"], .null)
        XCTAssertEqual(event["data"]?["assignee"], .null)
    }

    func testWithoutAnEventsURLTheEventIsParkedAsUndeliverable() throws {
        try start()
        gateway.advance(minutes: 6)
        XCTAssertEqual(check(), 1)
        eventually("event parked") {
            try gateway.count("dead_letters", "endpoint = 'events' AND reason = 'undeliverable'") == 1
        }
        let letter = try XCTUnwrap(gateway.rows("SELECT last_error FROM dead_letters WHERE endpoint = 'events'").first)
        XCTAssertTrue(letter["last_error"]?.contains("EVENTS_URL") ?? false, "\(letter)")
    }

    func testNoBreachWhenTheFirstResponseCameInTime() throws {
        try start()
        gateway.advance(minutes: 2)
        try respond(at: gateway.clock.now)
        try respond(at: gateway.clock.now + 1_000)
        gateway.advance(minutes: 60)
        XCTAssertEqual(check(), 0)
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["first_response_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now - 3_600_000))
        XCTAssertEqual(ticket["sla_status"], "on_track")
        let responses = try gateway.ticketList(id, "history").filter { $0["action"] == "first_response" }
        XCTAssertEqual(responses.count, 1, "only the first reply is the first response")
        XCTAssertEqual(responses.first?["detail"]?["within_target"], true)
        XCTAssertEqual(responses.first?["actor"], "agent-7")
    }

    func testResolutionBreachAfterTheResolutionTargetOnceEach() throws {
        try start()
        try respond(at: gateway.clock.now + 60_000)
        try gateway.ticketAction(id, "status", #"{"status":"pending","actor":"agent-7"}"#)
        gateway.advance(minutes: 24 * 60 - 1)
        XCTAssertEqual(check(), 0)
        gateway.advance(minutes: 2)
        XCTAssertEqual(check(), 1, "pending does not pause the clock")
        XCTAssertEqual(check(), 0)
        XCTAssertEqual(try breaches(), ["resolution"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_sla_breaches_total", [("kind", "resolution")]), 1)
        XCTAssertEqual(try gateway.count("outbox", "idempotency_key LIKE 'ticket.sla_breached:%:resolution:%'")
                       + gateway.count("dead_letters", "idempotency_key LIKE 'ticket.sla_breached:%:resolution:%'"), 1)
    }

    func testBothClocksBreachOnceEvenAcrossPasses() throws {
        try start()
        gateway.advance(minutes: 25 * 60)
        XCTAssertEqual(check(), 2)
        XCTAssertEqual(check(), 0)
        XCTAssertEqual(try breaches().sorted(), ["first_response", "resolution"])
        // A new scheduler (a restart) finds nothing left to record.
        let store = gateway.app.store
        let again = TicketSLAScheduler(database: store.database, metrics: MetricsRegistry(), log: EventLog(minimum: .error),
                                       clock: { [gateway] in gateway!.clock.now }, intervalMilliseconds: 1_000)
        XCTAssertEqual(again.checkOnce(), 0)
    }

    func testResolvedTicketsDoNotBreachAndAReopenStartsANewResolutionClock() throws {
        try start()
        try gateway.ticketAction(id, "status", #"{"status":"resolved","actor":"agent-7"}"#)
        gateway.advance(minutes: 48 * 60)
        XCTAssertEqual(check(), 0, "resolved: both clocks stopped")
        try gateway.ticketAction(id, "status", #"{"status":"open","actor":"agent-7"}"#)
        XCTAssertEqual(check(), 1, "reopened without any response: the first-response clock had run out")
        gateway.advance(minutes: 24 * 60 + 1)
        XCTAssertEqual(check(), 1)
        XCTAssertEqual(try breaches(), ["first_response", "resolution"])
    }

    func testCategoryTargetsMoveTheDueTimes() throws {
        try start { config in
            config.tickets.categoryTargets = ["billing": TicketSLATargets(firstResponseMilliseconds: 30 * 60_000)]
        }
        let openedAt = gateway.clock.now
        gateway.advance(minutes: 1)
        let ticket = try gateway.ticketAction(id, "category", #"{"category":"billing","actor":"agent-7"}"#).json
        XCTAssertEqual(ticket?["first_response_due_at"]?.stringValue, Timestamps.rfc3339(openedAt + 30 * 60_000))
        XCTAssertEqual(ticket?["resolution_due_at"]?.stringValue, Timestamps.rfc3339(openedAt + 24 * 3_600_000),
                       "the category keeps the default resolution target")
        gateway.advance(minutes: 10)
        XCTAssertEqual(check(), 0)
        gateway.advance(minutes: 20)
        XCTAssertEqual(check(), 1)
    }

    func testScheduledPassesRunOnTheirOwn() throws {
        try start { $0.tickets.slaCheckIntervalMilliseconds = 20 }
        gateway.advance(minutes: 6)
        gateway.app.ticketSLAScheduler.wake()
        eventually("breach recorded by the scheduler's own thread") { try self.breaches() == ["first_response"] }
    }

    func testRecordFirstResponseOfAnUnknownTicketIsNotFound() throws {
        try start()
        let store = gateway.app.store
        XCTAssertThrowsError(try store.database.write { c in
            try TicketSLA.recordFirstResponse(ticketID: 999, at: 1, in: c)
        }) { XCTAssertEqual($0 as? GatewayError, .notFound("no ticket with id 999")) }
    }
}
