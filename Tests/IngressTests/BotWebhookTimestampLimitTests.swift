import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// Black-box: a `webhook-timestamp` at the limits of a 64-bit integer is a stale request like any other. The window
/// check once subtracted it from the clock, which overflowed and stopped the whole process on one unsigned request
/// (found by fuzzing the Standard Webhooks headers).
final class BotWebhookTimestampLimitTests: XCTestCase {
    private let body = Array(#"{"type":"deal.created","data":{"name":"x","room_id":"room-1","contact_id":1}}"#.utf8)

    func testTimestampsAtTheInt64LimitsAre401AndTheGatewayKeepsServing() throws {
        let gateway = try TestGateway()
        for timestamp in ["-9223372036854775808", "-9223372036854775000", "9223372036854775807"] {
            let response = try gateway.request("POST", "/webhooks/chatbot", headers: [
                ("webhook-id", "msg_limit"), ("webhook-timestamp", timestamp), ("webhook-signature", "v1,AAAA"),
            ], body: body)
            XCTAssertEqual(response.status, 401, timestamp)
            XCTAssertTrue(response.json?["detail"]?.stringValue?.contains("tolerance") ?? false,
                          "\(timestamp): \(String(decoding: response.body, as: UTF8.self))")
        }
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", body, id: "msg_after").status, 201)
    }
}
