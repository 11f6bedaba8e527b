import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Messaging
import WhatsAppAdapter
import XCTest

/// Cloud API refusals are read by their error code (Meta sends most of them as HTTP 400): re-engagement and
/// undeliverable fail the message without a dead letter, rate limits are retried later, anything else is
/// dead-lettered — and the message row shows the code and title every time.
final class WhatsAppErrorClassificationTests: WhatsAppGatewayTestCase {
    private func send(idempotencyKey: String = "k-1") throws -> Int64 {
        try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "hi"}"#, idempotencyKey: idempotencyKey).id)
    }

    private func deliveries(_ outcome: String) -> Double {
        gateway.app.metrics.counter("gateway_outbound_deliveries_total", [("endpoint", "whatsapp"), ("outcome", outcome)])
    }

    func testReEngagementErrorFailsTheMessageWithItsCodeAndNoDeadLetter() throws {
        cloud.setScript { _, _ in CloudAPIReply.error(131047, "Re-engagement message",
                                                      details: "More than 24 hours have passed since the customer last replied.") }
        let id = try send()
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "failed"))
        XCTAssertEqual(message["error"]?["code"], 131047)
        XCTAssertEqual(message["error"]?["title"], "Re-engagement message")
        XCTAssertEqual(message["error"]?["detail"], "More than 24 hours have passed since the customer last replied.")
        XCTAssertEqual(message["failed_at"]?.int64Value, gateway.clock.now)
        XCTAssertEqual(message["wamid"], .null)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"], "0")
        // The outbox call is finished (not retried), with the refusal as its last answer.
        let row = try XCTUnwrap(gateway.rows("SELECT status, last_status, last_error FROM outbox").first)
        XCTAssertEqual(row["status"], "delivered")
        XCTAssertEqual(row["last_status"], "400")
        XCTAssertEqual(row["last_error"], "whatsapp 131047: Re-engagement message")
        eventually("counted as rejected") { self.deliveries("rejected") == 1 }
        gateway.advanceOutbound(seconds: 3600)
        XCTAssertEqual(cloud.received.count, 1)
    }

    func testUndeliverableFailsTheMessageWithoutRetry() throws {
        cloud.setScript { _, _ in CloudAPIReply.error(131026, "Message Undeliverable") }
        let id = try send()
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "failed"))
        XCTAssertEqual(message["error"]?["code"], 131026)
        XCTAssertEqual(message["error"]?["title"], "Message Undeliverable")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"], "0")
        XCTAssertEqual(cloud.received.count, 1)
    }

    func testThroughputLimitIsRetriedAfterTheRetryAfterThenDelivered() throws {
        cloud.setScript { index, _ in
            index == 0 ? CloudAPIReply.error(130429, "Rate limit hit", headers: [("Retry-After", "30")])
                       : CloudAPIReply.accepted("wamid.AFTER-LIMIT")
        }
        let id = try send()
        eventually("retry scheduled") { try self.gateway.rows("SELECT attempts FROM outbox").first?["attempts"] == "1" }
        let pending = try XCTUnwrap(gateway.rows("SELECT status, next_attempt_at, last_error FROM outbox").first)
        XCTAssertEqual(pending["status"], "pending")
        // The default schedule's first step is at most 5 s; the Retry-After (30 s) is the floor.
        XCTAssertEqual(pending["next_attempt_at"], String(gateway.clock.now + 30_000))
        XCTAssertEqual(pending["last_error"], "whatsapp 130429: Rate limit hit")
        let waiting = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(waiting["status"], "queued")
        XCTAssertEqual(waiting["error"]?["code"], 130429)
        gateway.advanceOutbound(seconds: 29)
        XCTAssertEqual(cloud.received.count, 1)
        gateway.advanceOutbound(seconds: 1)
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "accepted"))
        XCTAssertEqual(message["wamid"], "wamid.AFTER-LIMIT")
        XCTAssertEqual(message["attempts"], 2)
        XCTAssertEqual(message["error"], .null)
        XCTAssertEqual(cloud.received.map(\.webhookID), ["wa:k-1", "wa:k-1"])
    }

    func testPairRateLimitIsRetriedNoSoonerThanSixSecondsEvenAsHTTP429() throws {
        cloud.setScript { index, _ in
            index == 0 ? CloudAPIReply.error(131056, "(Business Account, Consumer Account) pair rate limit hit",
                                             status: 429)
                       : CloudAPIReply.accepted("wamid.PAIR")
        }
        let id = try send()
        eventually("retry scheduled") { try self.gateway.rows("SELECT attempts FROM outbox").first?["attempts"] == "1" }
        XCTAssertEqual(try gateway.rows("SELECT next_attempt_at FROM outbox").first?["next_attempt_at"],
                       String(gateway.clock.now + 6_000))
        gateway.advanceOutbound(seconds: 6)
        XCTAssertEqual(try XCTUnwrap(gateway.waitForWhatsApp(id, status: "accepted"))["wamid"], "wamid.PAIR")
        // A rate limit is the receiver working as designed: it does not count towards the breaker.
        XCTAssertEqual(gateway.app.dispatcher.status.first { $0.endpoint == "whatsapp" }?.breaker, "closed")
    }

    func testUnknownErrorCodeIsDeadLetteredAndShownOnTheMessage() throws {
        cloud.setScript { _, _ in CloudAPIReply.error(132001, "Template name does not exist in the translation",
                                                      status: 404) }
        let id = try send()
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "failed"))
        XCTAssertEqual(message["error"]?["code"], 132001)
        XCTAssertEqual(message["error"]?["title"], "Template name does not exist in the translation")
        let letter = try XCTUnwrap(gateway.rows("SELECT * FROM dead_letters").first)
        XCTAssertEqual(letter["reason"], "permanent")
        XCTAssertEqual(letter["error_class"], "refused")
        XCTAssertEqual(letter["last_error"], "whatsapp 132001: Template name does not exist in the translation")
        XCTAssertEqual(letter["idempotency_key"], "wa:k-1")
        XCTAssertTrue(letter["response_snippet"]?.contains("fbtrace_id") ?? false)
    }

    func testReplayedDeadLetterThatIsAcceptedClearsTheFailure() throws {
        cloud.setScript { index, _ in index == 0 ? CloudAPIReply.error(190, "Access token has expired", status: 401)
                                                 : CloudAPIReply.accepted("wamid.REPLAYED") }
        let id = try send()
        gateway.waitForWhatsApp(id, status: "failed")
        let letter = try XCTUnwrap(gateway.rows("SELECT id FROM dead_letters").first?["id"])
        XCTAssertEqual(try gateway.admin("POST", "/v1/dead-letters/\(letter)/replay").status, 200)
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "accepted"))
        XCTAssertEqual(message["wamid"], "wamid.REPLAYED")
        XCTAssertEqual(message["error"], .null)
    }

    func testServerErrorsFollowTheStatusRules() throws {
        cloud.setScript { index, _ in index == 0 ? CloudAPIReply.error(131000, "Something went wrong", status: 500)
                                                 : CloudAPIReply.accepted("wamid.AFTER-500") }
        let id = try send()
        eventually("retry scheduled") { try self.gateway.rows("SELECT attempts FROM outbox").first?["attempts"] == "1" }
        XCTAssertEqual(try gateway.rows("SELECT last_status FROM outbox").first?["last_status"], "500")
        gateway.advanceOutbound(seconds: 5)
        gateway.waitForWhatsApp(id, status: "accepted")
    }

    func testClassifierVerdictsByCodeNotStatus() {
        let classifier = WhatsAppResponseClassifier()
        func body(_ code: Int64) -> [UInt8] { Array(#"{"error":{"message":"(#\#(code)) Title","code":\#(code)}}"#.utf8) }
        XCTAssertEqual(classifier.classify(status: 400, body: body(130429)),
                       .retry(error: "whatsapp 130429: Title", notBeforeMillis: nil))
        XCTAssertEqual(classifier.classify(status: 400, body: body(131056)),
                       .retry(error: "whatsapp 131056: Title", notBeforeMillis: 6_000))
        XCTAssertEqual(classifier.classify(status: 400, body: body(131047)), .rejected(error: "whatsapp 131047: Title"))
        XCTAssertEqual(classifier.classify(status: 200, body: body(131047)), .statusRules)
        XCTAssertEqual(classifier.classify(status: 400, body: body(100)), .permanent(error: "whatsapp 100: Title"))
        XCTAssertEqual(classifier.classify(status: 503, body: body(2)), .statusRules)
        XCTAssertEqual(classifier.classify(status: 400, body: Array("not json".utf8)), .statusRules)
    }
}
