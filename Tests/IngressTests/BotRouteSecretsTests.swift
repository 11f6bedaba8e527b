import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// The chatbot and agent routes each have their own secrets, and one `webhook-id` is applied once across both: a
/// signed request replayed to the other route never creates a second record.
final class BotRouteSecretsTests: XCTestCase {
    private static let chatbotSecret = WebhookSecret(key: Array("chatbot-secret-chatbot-secret-123".utf8))
    private static let agentSecret = WebhookSecret(key: Array("agent-secret-agent-secret-agent-12".utf8))
    private let body = Array(#"{"type":"deal.created","data":{"name":"Replayed","creator_flag":"bot"}}"#.utf8)

    func testWithSharedSecretsARequestReplayedToTheOtherRouteGetsTheFirstAnswer() throws {
        let gateway = try TestGateway { $0.adminToken = TestGateway.adminToken }
        let first = try gateway.postBot("/webhooks/chatbot", body, id: "msg_same")
        XCTAssertEqual(first.status, 201, first.text)
        let replay = try gateway.postBot("/webhooks/agent", body, id: "msg_same")
        XCTAssertEqual(replay.status, 201, replay.text)
        XCTAssertEqual(replay.body, first.body, "the first answer, byte for byte")
        XCTAssertEqual(replay.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try gateway.count("deals"), 1)
        // A new id on the other route is a new command.
        XCTAssertEqual(try gateway.postBot("/webhooks/agent", body, id: "msg_other").status, 201)
        XCTAssertEqual(try gateway.count("deals"), 2)
    }

    func testEachRouteAcceptsOnlyItsOwnSecrets() throws {
        let gateway = try TestGateway { config in
            config.botWebhooks.secrets = []
            config.botWebhooks.chatbotSecrets = [Self.chatbotSecret.encoded]
            config.botWebhooks.agentSecrets = [Self.agentSecret.encoded]
        }
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", body, id: "a1", secret: Self.chatbotSecret).status, 201)
        XCTAssertEqual(try gateway.postBot("/webhooks/agent", body, id: "a1", secret: Self.chatbotSecret).status, 401)
        XCTAssertEqual(try gateway.postBot("/webhooks/agent", body, id: "a2", secret: Self.agentSecret).status, 201)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", body, id: "a3", secret: Self.agentSecret).status, 401)
        XCTAssertEqual(try gateway.count("deals"), 2)
    }

    func testRouteSecretsLoadFromTheirVariablesAndABadOneNamesItsKey() throws {
        let config = try ConfigFixture.load("{}", env: ["CHATBOT_WEBHOOK_SECRETS": Self.chatbotSecret.encoded,
                                                       "AGENT_WEBHOOK_SECRETS": Self.agentSecret.encoded])
        XCTAssertEqual(config.botWebhooks.chatbot, [Self.chatbotSecret.encoded])
        XCTAssertEqual(config.botWebhooks.agent, [Self.agentSecret.encoded])
        XCTAssertFalse(config.botWebhooks.sharesSecrets)
        let shared = try ConfigFixture.load("{}", env: ["BOT_WEBHOOK_SECRETS": Self.chatbotSecret.encoded])
        XCTAssertEqual(shared.botWebhooks.agent, [Self.chatbotSecret.encoded], "the older shared setting still works")
        XCTAssertTrue(shared.botWebhooks.sharesSecrets)
        guard case .invalidValue(let key, _)? = ConfigFixture.error("{}", env: ["AGENT_WEBHOOK_SECRETS": "nope"]) else {
            return XCTFail("a bad secret was accepted")
        }
        XCTAssertEqual(key, "AGENT_WEBHOOK_SECRETS[0]", "the variable it came from")
    }
}
