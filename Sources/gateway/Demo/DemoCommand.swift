import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient

/// `gateway demo [--url URL]`: sends signed sample traffic to a running gateway so a newcomer sees the console move
/// within a minute — tickets in the support and sales queues in English and Bahasa Malaysia with their SLA clocks, a
/// chatbot's deal and, with `ADMIN_TOKEN`, the desk around them (``DemoDesk``: outlets, canned replies, articles, a
/// demo agent to sign in as, tickets already being worked) and a dead letter (a test event to the `events` endpoint,
/// which has no URL by default). It reads the same configuration as the gateway for the secrets.
enum DemoCommand {
    static let usage = """
          demo [--url URL]
                     send signed sample traffic to a running gateway (default http://server.host:server.port):
                     WhatsApp messages (EN/BM), a chatbot deal; with ADMIN_TOKEN also outlets, canned replies, KB
                     articles, a demo agent, assigned/noted/replied/resolved tickets and a dead letter
        """

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
        let requests = DemoRequests(client: client, base: base, admin: config.adminToken.map {
            [("Authorization", "Bearer \($0)")]
        })
        let desk = requests.admin == nil ? nil
            : DemoDesk(requests: requests, canReply: config.whatsapp.phoneNumberID != nil)
        do {
            try desk?.prepare()
            try sendTraffic(requests, appSecret: appSecret, botSecret: botSecret)
            try desk?.work()
            if desk != nil {
                try requests.admin("sent a call to the events endpoint, which has no URL: a dead letter", "POST",
                                   "/v1/endpoints/events/test-events", ["count": 1], expecting: [202])
            }
        } catch let stop as DemoRequests.Stop {
            GatewayCLI.printError(stop.message)
            return 1
        } catch {
            GatewayCLI.printError("demo: \(error)")
            return 1
        }
        print("open \(base)/console\(desk == nil ? "" : " and sign in as \(DemoDesk.agentEmail)")")
        return 0
    }

    /// The customers' WhatsApp messages and the chatbot's deal, signed with the gateway's secrets.
    private static func sendTraffic(_ requests: DemoRequests, appSecret: String, botSecret: WebhookSecret) throws {
        let seconds = Int64(Date().timeIntervalSince1970)
        let run = String(seconds)
        let messages = DemoTraffic.whatsAppBody(seconds: seconds, run: run)
        try requests.send("sent \(DemoTraffic.customers.count) WhatsApp messages (English and Bahasa Malaysia)",
                          ClientRequest(method: "POST", url: requests.base + "/webhooks/whatsapp", headers: [
                            ("Content-Type", "application/json"),
                            ("X-Hub-Signature-256", DemoTraffic.metaSignature(messages, appSecret: appSecret))],
                                        body: messages), expecting: [200])
        let deal = DemoTraffic.dealBody(run: run)
        try requests.send("sent a chatbot's deal", ClientRequest(
            method: "POST", url: requests.base + "/webhooks/chatbot",
            headers: [("Content-Type", "application/json")] + DemoTraffic.standardWebhookHeaders(
                deal, secret: botSecret, id: "msg_demo_\(run)", seconds: seconds), body: deal), expecting: [200, 201])
    }
}
