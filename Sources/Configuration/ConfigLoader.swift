import Delivery
import Foundation
import GatewayKit
import Retail

/// Builds a ``GatewayConfig`` from defaults, then an optional JSON file, then environment variables (highest wins).
/// Unknown keys and bad values stop start-up with a message naming the key. Keys starting with `_` are comments.
public enum ConfigLoader {
    public static func load(file: String?, environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        var config = GatewayConfig()
        if let file {
            try apply(fileAt: file, to: &config)
        }
        for key in GatewayConfig.configKeys {
            guard let name = key.env, let raw = environment[name] else { continue }
            try key.apply(&config, .env(raw))
        }
        try checkServerLimits(config.server)
        try checkTLSFiles(config.server)
        try checkStoreDriver(config.store)
        try checkOutboundLease(config.outbound)
        try checkRenewalOffsets(config.renewals)
        return config
    }

    /// One client must not be able to take every connection: health and metrics probes need the headroom.
    static func checkServerLimits(_ server: GatewayConfig.Server) throws(ConfigError) {
        guard server.perIPConnectionLimit < server.connectionLimit else {
            throw .invalidValue(key: "server.per_ip_connection_limit", reason: "must be below server.connection_limit "
                                + "(\(server.connectionLimit)) so other clients still get in; 0 = no limit")
        }
    }

    /// A certificate without its key (or a key without its certificate) cannot be served, and falling back to plain
    /// HTTP would be a surprise: refuse the half-configured pair.
    /// The PostgreSQL store needs its server (the message names the key, never the value: it may hold a password).
    static func checkStoreDriver(_ store: StoreSettings) throws(ConfigError) {
        if store.usesPostgres && store.databaseURL.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidValue(key: "store.database_url", reason: "must be set (GATEWAY_DATABASE_URL) when "
                                + "store.driver is postgres")
        }
    }

    static func checkTLSFiles(_ server: GatewayConfig.Server) throws(ConfigError) {
        switch (server.tlsCert, server.tlsKey) {
        case (nil, nil), (.some, .some): return
        case (.some, nil):
            throw .invalidValue(key: "server.tls_key", reason: "must be set (GATEWAY_TLS_KEY) when server.tls_cert "
                                + "is: HTTPS needs both, plain HTTP neither")
        case (nil, .some):
            throw .invalidValue(key: "server.tls_cert", reason: "must be set (GATEWAY_TLS_CERT) when server.tls_key "
                                + "is: HTTPS needs both, plain HTTP neither")
        }
    }

    /// A reminder day earlier than the horizon would never come: renewals are only computed within the horizon.
    static func checkRenewalOffsets(_ renewals: RenewalSettings) throws(ConfigError) {
        guard let earliest = renewals.offsetsDays.first, earliest < -renewals.horizonDays else { return }
        throw .invalidValue(key: "renewals.offsets_days", reason: "\(earliest) is before the horizon "
                            + "(renewals.horizon_days = \(renewals.horizonDays))")
    }

    /// A lease shorter than a request could take would let a second dispatcher send a delivery that is still in
    /// flight; refuse that combination instead of sending twice by design.
    static func checkOutboundLease(_ outbound: OutboundSettings) throws(ConfigError) {
        let longest = ([outbound.totalTimeoutMilliseconds]
                       + outbound.endpoints.values.compactMap(\.totalTimeoutMilliseconds)).max() ?? 0
        guard outbound.leaseMilliseconds > longest else {
            throw .invalidValue(key: "outbound.lease", reason: "must be longer than the longest total_timeout "
                                + "(\(DurationText.format(milliseconds: longest)))")
        }
    }

    /// Parses configuration text (the content of a config file); `origin` names it in errors.
    public static func apply(json bytes: [UInt8], origin: String, to config: inout GatewayConfig) throws(ConfigError) {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .invalidJSON(path: origin, reason: error.description)
        }
        guard case .object = root else { throw .invalidJSON(path: origin, reason: "the top level must be an object") }
        let byPath = Dictionary(uniqueKeysWithValues: GatewayConfig.configKeys.map { ($0.path, $0) })
        try walk(root, prefix: "", keys: byPath, config: &config)
    }

    private static func apply(fileAt path: String, to config: inout GatewayConfig) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "no such file or not readable")
        }
        try apply(json: [UInt8](data), origin: path, to: &config)
    }

    private static func walk(_ value: JSONValue, prefix: String, keys: [String: ConfigKey<GatewayConfig>],
                             config: inout GatewayConfig) throws(ConfigError) {
        guard case .object(let members) = value else { return }
        for name in members.keys.sorted() where !name.hasPrefix("_") {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            let member = members[name]!
            if let key = keys[path] {
                try key.apply(&config, .json(member))
            } else if keys.keys.contains(where: { $0.hasPrefix(path + ".") }) {
                guard case .object = member else { throw .invalidValue(key: path, reason: "must be an object") }
                try walk(member, prefix: path, keys: keys, config: &config)
            } else {
                throw .unknownKey(path)
            }
        }
    }

    /// A one-line description of the effective configuration for the start-up log: secrets show only whether set.
    public static func redactedSummary(_ config: GatewayConfig) -> String {
        func secret(_ value: String?) -> String { (value?.isEmpty ?? true) ? "unset" : "set" }
        let endpointURLs = BuiltInEndpoint.withURLSetting.map { endpoint in
            "\(endpoint.rawValue)_url=\(config.outbound[url: endpoint] == nil ? "unset" : "set")"
        }
        let settings: [String] = [
            "listen=\(config.server.host):\(config.server.port)",
            "tls=\(config.server.tlsEnabled ? "on" : "off")",
            "store=\(config.store.driver)",
            config.store.usesPostgres ? "database_url=\(secret(config.store.databaseURL))" : "db=\(config.store.path)",
            "synchronous=\(config.store.synchronous)",
            "max_body_bytes=\(config.server.maxBodyBytes)",
            "whatsapp_app_secret=\(secret(config.whatsapp.appSecret))",
            "whatsapp_verify_token=\(secret(config.whatsapp.verifyToken))",
            "bot_webhook_secrets=\(config.botWebhooks.secrets.count)",
            "chatbot_webhook_secrets=\(config.botWebhooks.chatbotSecrets.count)",
            "agent_webhook_secrets=\(config.botWebhooks.agentSecrets.count)",
            "admin_token=\(secret(config.adminToken))",
            "outbound_signing_secret=\(secret(config.outbound.signingSecret))",
        ] + endpointURLs + [
            "multi_bsuid=\(config.multiBSUIDEnabled)",
            "pos_sync_url=\(config.pos.syncURL == nil ? "unset" : "set")",
            "renewals=\(config.renewals.enabled ? "on" : "off")",
        ]
        return settings.joined(separator: " ")
    }
}
