import Access
import Analytics
import CRM
import Campaigns
import Conversations
import Delivery
import GatewayKit
import Retail
import Segments

extension GatewayConfig {
    /// Every setting the gateway reads: the app's own sections, then each module's keys, one line per module.
    package static let configKeys: [ConfigKey<GatewayConfig>] = appKeys
        + StoreSettings.configKeys.lifted(\.store)
        + RecordSettings.configKeys.lifted(\.records)
        + POSSettings.configKeys.lifted(\.pos)
        + RenewalSettings.configKeys.lifted(\.renewals)
        + TicketSettings.configKeys.lifted(\.tickets)
        + CSATSettings.configKeys.lifted(\.csat)
        + MediaSettings.configKeys.lifted(\.media)
        + OnboardingSettings.configKeys.lifted(\.onboarding)
        + OutboundSettings.configKeys.lifted(\.outbound)
        + AccessSettings.configKeys.lifted(\.access)
        + RetentionSettings.configKeys.lifted(\.retention)
        + SegmentSettings.configKeys.lifted(\.segments)
        + CampaignSettings.configKeys.lifted(\.campaigns)
        + AnalyticsSettings.configKeys.lifted(\.analytics)

    /// The sections the app itself reads: the server, WhatsApp, the bot webhooks, the normalizer, the admin token and
    /// feature switches.
    private static let appKeys: [ConfigKey<GatewayConfig>] = [
        .string("server.host", env: "GATEWAY_HOST", \.server.host),
        .int("server.port", env: "GATEWAY_PORT", \.server.port, range: 0...65535),
        .int("server.thread_pool_size", env: "GATEWAY_THREADS", \.server.threadPoolSize, range: 0...256),
        .int("server.connection_timeout_seconds", \.server.connectionTimeoutSeconds, range: 1...3600),
        .int("server.header_timeout_seconds", \.server.headerTimeoutSeconds, range: 1...3600),
        .int("server.body_timeout_seconds", \.server.bodyTimeoutSeconds, range: 1...3600),
        .int("server.max_body_bytes", env: "GATEWAY_MAX_BODY_BYTES", \.server.maxBodyBytes, range: 1024...(64 << 20)),
        .int("server.connection_limit", \.server.connectionLimit, range: 1...100_000),
        .int("server.per_ip_connection_limit", \.server.perIPConnectionLimit, range: 0...100_000),
        .int("server.drain_timeout_seconds", \.server.drainTimeoutSeconds, range: 0...600),
        .optionalString("server.tls_cert", env: "GATEWAY_TLS_CERT", \.server.tlsCert),
        .optionalString("server.tls_key", env: "GATEWAY_TLS_KEY", \.server.tlsKey),
        .int("server.hsts_max_age_seconds", \.server.hstsMaxAgeSeconds, range: 0...63_072_000),
        .optionalString("whatsapp.app_secret", env: "WHATSAPP_APP_SECRET", secret: true, \.whatsapp.appSecret),
        .optionalString("whatsapp.verify_token", env: "WHATSAPP_VERIFY_TOKEN", secret: true, \.whatsapp.verifyToken),
        .url("whatsapp.api_url", env: "WHATSAPP_API_URL", \.whatsapp.apiURL),
        .optionalString("whatsapp.access_token", env: "WHATSAPP_ACCESS_TOKEN", secret: true, \.whatsapp.accessToken),
        .optionalString("whatsapp.phone_number_id", env: "WHATSAPP_PHONE_NUMBER_ID", \.whatsapp.phoneNumberID),
        .string("whatsapp.templates_dir", env: "WHATSAPP_TEMPLATES_DIR", \.whatsapp.templatesDirectory),
        .languageCode("whatsapp.default_language", env: "WHATSAPP_DEFAULT_LANGUAGE", \.whatsapp.defaultLanguage),
        .webhookSecrets("bot_webhooks.secrets", env: "BOT_WEBHOOK_SECRETS", \.botWebhooks.secrets),
        .webhookSecrets("bot_webhooks.chatbot_secrets", env: "CHATBOT_WEBHOOK_SECRETS", \.botWebhooks.chatbotSecrets),
        .webhookSecrets("bot_webhooks.agent_secrets", env: "AGENT_WEBHOOK_SECRETS", \.botWebhooks.agentSecrets),
        .int("bot_webhooks.tolerance_seconds", \.botWebhooks.toleranceSeconds, range: 1...3600),
        .int("normalizer.poll_interval_ms", \.normalizer.pollIntervalMilliseconds, range: 10...60_000),
        .int("normalizer.batch_size", \.normalizer.batchSize, range: 1...10_000),
        .int("normalizer.burst_rate", \.normalizer.burstRatePerSecond, range: 0...10_000_000),
        .duration("normalizer.burst_deferral", \.normalizer.burstDeferralMilliseconds, range: 0...60_000),
        .optionalString("admin.token", env: "ADMIN_TOKEN", secret: true, \.adminToken),
        .string("console.directory", env: "CONSOLE_DIR", \.console.directory),
        .smtpURL("smtp.url", env: "SMTP_URL", \.smtp.url),
        .string("smtp.from", env: "SMTP_FROM", \.smtp.from),
        .optionalString("smtp.username", env: "SMTP_USERNAME", \.smtp.username),
        .optionalString("smtp.password", env: "SMTP_PASSWORD", secret: true, \.smtp.password),
        .bool("features.multi_bsuid_enabled", env: "MULTI_BSUID_ENABLED", \.multiBSUIDEnabled),
    ]
}
