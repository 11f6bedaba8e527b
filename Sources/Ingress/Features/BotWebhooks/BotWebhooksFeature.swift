import CRM
import Configuration
import Delivery
import GatewayKit

/// The chatbot and agent webhooks: Standard Webhooks–signed record commands, applied inside the request by the
/// record command service.
struct BotWebhooksFeature: Feature {
    let commands: RecordCommandService
    let context: FeatureContext

    init(_ context: FeatureContext, commands: RecordCommandService) {
        self.context = context
        self.commands = commands
        if context.config.botWebhooks.sharesSecrets {
            context.log.warning("bot_webhook_secrets_shared", [
                "detail": "a route without its own secrets accepts BOT_WEBHOOK_SECRETS: a request signed for one bot "
                    + "route verifies on the other (replays are still answered once); set CHATBOT_WEBHOOK_SECRETS and "
                    + "AGENT_WEBHOOK_SECRETS",
            ])
        }
    }

    /// `/webhooks/chatbot`, `/webhooks/agent`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let bots = context.config.botWebhooks
        func verifier(_ secrets: [String]) -> StandardWebhookVerifier {
            StandardWebhookVerifier(secrets: secrets.compactMap(WebhookSecret.init(encoded:)),
                                    toleranceSeconds: bots.toleranceSeconds)
        }
        BotWebhookRoutes(chatbotVerifier: verifier(bots.chatbot), agentVerifier: verifier(bots.agent),
                         ingest: routes.ingest, commands: commands, clock: context.clock).register(in: &router)
    }
}
