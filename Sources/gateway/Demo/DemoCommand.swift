import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient

/// `gateway demo [--url URL]`: sends signed sample traffic to a running gateway so a newcomer sees the console move
/// within a minute — tickets in the support and sales queues in English and Bahasa Malaysia with their SLA clocks, a
/// chatbot's deal and, with `ADMIN_TOKEN`, a demo agent to sign in as and a dead letter (a test event to the
/// `events` endpoint, which has no URL by default). It reads the same configuration as the gateway for the secrets.
enum DemoCommand {
    static let usage = """
          demo [--url URL]
                     send signed sample traffic to a running gateway (default http://server.host:server.port):
                     WhatsApp messages (EN/BM), a chatbot deal; with ADMIN_TOKEN also a demo agent and a dead letter
        """
    static let agentEmail = "agent@demo.example"
    static let agentPassword = "demo-agent-password"

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional.isEmpty, Set(options.values.keys).isSubset(of: ["url"]) else {
            GatewayCLI.printError("usage: gateway demo [--url URL]")
            return 64
        }
        guard let appSecret = config.whatsapp.appSecret else {
            GatewayCLI.printError("configuration error: whatsapp.app_secret (WHATSAPP_APP_SECRET) must be set, as for the gateway")
            return 78
        }
        guard let botSecret = config.botWebhooks.chatbot.first.flatMap(WebhookSecret.init(encoded:)) else {
            GatewayCLI.printError("configuration error: bot_webhooks.chatbot_secrets (CHATBOT_WEBHOOK_SECRETS) or bot_webhooks.secrets must be set, as for the gateway")
            return 78
        }
        let base = options.values["url"] ?? "http://\(config.server.host):\(config.server.port)"
        let client = CurlMultiClient(maxResponseBytes: 1 << 20)
        defer { client.shutdown() }
        let seconds = Int64(Date().timeIntervalSince1970)
        let run = String(seconds)
        var steps: [(String, ClientRequest, Set<Int>)] = []

        let messages = DemoTraffic.whatsAppBody(seconds: seconds, run: run)
        steps.append(("\(DemoTraffic.customers.count) WhatsApp messages (English and Bahasa Malaysia)",
                      ClientRequest(method: "POST", url: base + "/webhooks/whatsapp", headers: [
                        ("Content-Type", "application/json"),
                        ("X-Hub-Signature-256", DemoTraffic.metaSignature(messages, appSecret: appSecret))],
                                    body: messages), [200]))
        let deal = DemoTraffic.dealBody(run: run)
        steps.append(("a chatbot's deal", ClientRequest(method: "POST", url: base + "/webhooks/chatbot", headers:
            [("Content-Type", "application/json")] + DemoTraffic.standardWebhookHeaders(
                deal, secret: botSecret, id: "msg_demo_\(run)", seconds: seconds), body: deal), [200, 201]))
        if let token = config.adminToken {
            let admin = [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")]
            let agent = JSONWriter.bytes(["email": .string(agentEmail), "password": .string(agentPassword),
                                          "role": "agent", "name": "Demo agent"])
            steps.append(("the demo agent \(agentEmail) (password \(agentPassword))",
                          ClientRequest(method: "POST", url: base + "/v1/users", headers: admin, body: agent),
                          [201, 409]))
            steps.append(("a call to the events endpoint, which has no URL: a dead letter",
                          ClientRequest(method: "POST", url: base + "/v1/endpoints/events/test-events", headers: admin,
                                        body: Array(#"{"count": 1}"#.utf8)), [202]))
        }
        for (what, request, expected) in steps {
            switch client.perform(request) {
            case .failure(let error):
                GatewayCLI.printError("demo: \(what): \(base) did not answer: \(error)")
                return 1
            case .success(let response) where !expected.contains(response.status):
                GatewayCLI.printError("demo: \(what): HTTP \(response.status) \(String(decoding: response.body.prefix(500), as: UTF8.self))")
                return 1
            case .success:
                print("sent \(what)")
            }
        }
        print("open \(base)/console\(config.adminToken == nil ? "" : " and sign in as \(agentEmail)")")
        return 0
    }
}
