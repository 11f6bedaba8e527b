import Access
import Analytics
import Campaigns
import CRM
import Conversations
import Delivery
import Retail
import Segments
/// Everything the gateway can be told at start-up. Defaults are safe for the embedded local demo: loopback only,
/// SQLite under ./data, every secret absent (so the matching endpoints refuse requests rather than accept unsigned ones).
/// Loaded by ``ConfigLoader`` from a JSON file plus environment overrides; `Config/gateway.example.json` documents it.
public struct GatewayConfig: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// libmicrohttpd worker threads; 0 means one per core.
        public var threadPoolSize = 0
        /// Seconds without a byte in either direction before a connection is closed.
        public var connectionTimeoutSeconds = 30
        /// Seconds a connection has for its request line and headers (from accept, or from its previous response).
        public var headerTimeoutSeconds = 10
        /// Seconds a request has for its body once the headers are in.
        public var bodyTimeoutSeconds = 30
        public var maxBodyBytes = 1 << 20
        public var connectionLimit = 1024
        /// Concurrent connections from one client address; 0 = no limit (e.g. behind a proxy).
        public var perIPConnectionLimit = 256
        /// How long shutdown waits for in-flight requests, seconds.
        public var drainTimeoutSeconds = 10
        /// PEM file of the certificate chain to serve HTTPS with (the server's certificate first); set together with
        /// `tlsKey`, both unset = plain HTTP. Re-read on SIGHUP.
        public var tlsCert: String?
        /// PEM file of the certificate's private key (unencrypted); set together with `tlsCert`. Re-read on SIGHUP.
        public var tlsKey: String?
        /// `max-age` of the `Strict-Transport-Security` header every HTTPS response carries (not sent over HTTP).
        public var hstsMaxAgeSeconds = 31_536_000

        /// Whether the gateway serves HTTPS.
        public var tlsEnabled: Bool { tlsCert != nil && tlsKey != nil }
    }

    public struct WhatsApp: Sendable, Equatable {
        public var appSecret: String?
        public var verifyToken: String?
        public var apiURL = "https://graph.facebook.com/v21.0"
        public var accessToken: String?
        public var phoneNumberID: String?
        /// Folder of the message templates (`<name>.json`), read at start-up; relative to the working directory.
        public var templatesDirectory = "./Templates/whatsapp"
        /// Template language used when a send names none.
        public var defaultLanguage = "en"
    }

    /// Outgoing e-mail (onboarding invites), through libcurl's SMTP support; nothing is mailed without `url`.
    public struct SMTP: Sendable, Equatable {
        /// `smtp://host:port` or `smtps://host:port`.
        public var url: String?
        /// The sender address.
        public var from = "gateway@localhost"
        public var username: String?
        public var password: String?
    }

    public struct BotWebhooks: Sendable, Equatable {
        /// Standard Webhooks secrets (`whsec_<base64>`) of the chatbot route; several are accepted at once during
        /// rotation. Empty = the shared `secrets`.
        public var chatbotSecrets: [String] = []
        /// The same for the agent route.
        public var agentSecrets: [String] = []
        /// Secrets both routes accept when they have none of their own (the older, shared setting): then a request
        /// signed for one route also verifies on the other, which only the shared replay check keeps from applying
        /// twice. A start-up warning says so.
        public var secrets: [String] = []
        public var toleranceSeconds = 300

        /// The secrets `/webhooks/chatbot` accepts.
        public var chatbot: [String] { chatbotSecrets.isEmpty ? secrets : chatbotSecrets }
        /// The secrets `/webhooks/agent` accepts.
        public var agent: [String] { agentSecrets.isEmpty ? secrets : agentSecrets }
        /// True when a route falls back to the shared secrets.
        public var sharesSecrets: Bool { !secrets.isEmpty && (chatbotSecrets.isEmpty || agentSecrets.isEmpty) }
    }

    public struct Normalizer: Sendable, Equatable {
        public var pollIntervalMilliseconds = 200
        /// Deliveries per pass, at most (a pass holds fewer when fewer are waiting, so this matters only while a
        /// backlog is applied). A pass is one writer operation, and the pages the deliveries' scattered keys change
        /// (message ids, phone numbers) are written once per commit however many keys land on them: 500 applies a
        /// backlog a fifth to a third faster than 100. The price: a write queued behind the backlog (a bot command,
        /// an agent's reply) waits for the passes ahead of it, about 110 ms instead of 30 at the median on two cores.
        public var batchSize = 500
        /// Webhooks per second above which normalizing (and so applying) waits, so acknowledgements have the cores
        /// during a burst; 0 = never wait.
        public var burstRatePerSecond = 2_000
        /// The longest it waits in a row; then it catches up before waiting again.
        public var burstDeferralMilliseconds = 5_000
    }

    /// The operator console's files (HTML, CSS, JavaScript modules), served at `/console`.
    public struct Console: Sendable, Equatable {
        /// Folder of the console's files; relative to the working directory, like the templates.
        public var directory = "./Console"
    }

    public var server = Server()
    public var store = StoreSettings()
    public var whatsapp = WhatsApp()
    public var smtp = SMTP()
    public var botWebhooks = BotWebhooks()
    public var normalizer = Normalizer()
    public var outbound = OutboundSettings()
    public var records = RecordSettings()
    public var pos = POSSettings()
    public var renewals = RenewalSettings()
    public var tickets = TicketSettings()
    public var csat = CSATSettings()
    public var media = MediaSettings()
    public var onboarding = OnboardingSettings()
    public var access = AccessSettings()
    public var retention = RetentionSettings()
    public var segments = SegmentSettings()
    public var campaigns = CampaignSettings()
    public var analytics = AnalyticsSettings()
    public var console = Console()
    public var adminToken: String?
    public var multiBSUIDEnabled = false

    public init() {}
}
