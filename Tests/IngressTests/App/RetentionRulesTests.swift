import Configuration
import Delivery
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// The daily retention purge covers every kind of stored personal data, each after its own `retention.*` time, keeps
/// the rows that counts and reports need, and shows per kind on `/metrics` what each run removed.
final class RetentionRulesTests: XCTestCase {
    static let day: Int64 = 86_400_000

    func testEachKindGoesAfterItsRetentionAndCountsStay() throws {
        let cloud = try StubSink { index, request in
            request.path.hasSuffix("/events") ? .status(400) : CloudAPIReply.accepted("wamid.out\(index)")
        }
        defer { cloud.stop() }
        let gateway = try TestGateway.whatsApp(cloud) { config in
            config.outbound[url: .omnichannel] = cloud.url + "/events"
            config.outbound.pollIntervalMilliseconds = 50
            config.retention.deadLettersMilliseconds = 10 * 86_400_000
        }
        defer { gateway.shutdown() }
        eventually("the start-up purge ran") {
            gateway.app.metrics.counter("gateway_retention_runs_total", [("outcome", "success")]) == 1
        }
        let ticket = try gateway.openTicket("my terminal is broken")
        XCTAssertEqual(try gateway.reply(ticket, #"{"text": "on our way"}"#).status, 202)
        try gateway.user(email: "agent@example.com", role: "agent")
        let session = try gateway.session(email: "agent@example.com")
        XCTAssertEqual(try gateway.request("DELETE", "/v1/session", session: session).status, 204)
        XCTAssertEqual(try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count": 1}"#).status,
                       202)
        eventually("dead-lettered") { try gateway.rows("SELECT id FROM dead_letters").count == 1 }
        let bot = try gateway.postBot("/webhooks/chatbot", Array(#"{"type": "deal.created", "data": {"name": "Lead", "room_id": "r1"}}"#.utf8),
                                      id: "msg_retention_1")
        XCTAssertEqual(bot.status, 201, bot.text)

        func sweep(after days: Int64) {
            let runs = gateway.app.metrics.counter("gateway_retention_runs_total", [("outcome", "success")])
            gateway.advanceClock(milliseconds: days * Self.day)
            gateway.app.retention.wake()
            eventually("the daily purge ran") {
                gateway.app.metrics.counter("gateway_retention_runs_total", [("outcome", "success")]) > runs
            }
        }
        func purged(_ what: String) -> Double {
            gateway.app.metrics.counter("gateway_retention_purged_total", [("what", what)])
        }
        sweep(after: 11)
        XCTAssertEqual(try gateway.rows("SELECT id FROM dead_letters").count, 0, "dead letters after 10 days here")
        XCTAssertEqual(purged("dead_letters"), 1)
        XCTAssertEqual(try gateway.rows("SELECT id FROM inbox_items").isEmpty, false, "items stay 30 days")

        sweep(after: 30)
        XCTAssertEqual(try gateway.rows("SELECT id FROM inbox_items").count, 0)
        XCTAssertEqual(try gateway.rows("SELECT id FROM inbox").count, 0, "the bot command's raw delivery")
        XCTAssertEqual(try gateway.rows("SELECT id FROM user_sessions").count, 0, "the ended session")
        XCTAssertGreaterThan(purged("inbox_items"), 0)
        XCTAssertEqual(purged("sessions"), 1)
        XCTAssertNotNil(try gateway.rows("SELECT text FROM ticket_messages WHERE direction = 'in'").first?["text"],
                        "message words stay a year")

        sweep(after: 330)
        let messages = try gateway.rows("SELECT text FROM ticket_messages ORDER BY id")
        XCTAssertEqual(messages.count, 2, "the messages stay as rows")
        XCTAssertTrue(messages.allSatisfy { $0["text"] == nil }, "\(messages)")
        XCTAssertEqual(try gateway.rows("SELECT recipient FROM whatsapp_outbound_messages").map { $0["recipient"] },
                       ["expired"])
        XCTAssertEqual(purged("ticket_message_bodies"), 2)
        XCTAssertEqual(purged("whatsapp_message_bodies"), 1)
        XCTAssertFalse(try gateway.rows("SELECT id FROM audit_events").isEmpty, "the audit log stays two years")

        sweep(after: 366)
        XCTAssertEqual(try gateway.rows("SELECT id FROM audit_events").count, 0)
        XCTAssertGreaterThan(purged("audit_events"), 0)
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"gateway_retention_purged_total{what="ticket_message_bodies"} 2"#), metrics)
    }
}
