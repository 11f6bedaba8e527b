import GatewayKit
/// Keys of the `outbound` section that are not plain numbers or durations: signing secrets, and the
/// `outbound.endpoints` object — one member per endpoint name, each an object of optional fields, merged into the
/// defaults field by field, so tuning one field of a built-in endpoint keeps its other defaults (WhatsApp's 80/s).
extension ConfigKey {

    /// A Standard Webhooks signing secret (`whsec_…`), or null/empty for none.
    public static func signingSecret(_ path: String, env: String,
                                     _ keyPath: WritableKeyPath<Root, String?> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: true) { config, input throws(ConfigError) in
            config[keyPath: keyPath] = try optionalSigningSecret(input, key: name(input, path: path, env: env))
        }
    }

    static func optionalSigningSecret(_ input: Input, key: String) throws(ConfigError) -> String? {
        let secret = try optionalText(input, key: key)
        if let secret, WebhookSecret(encoded: secret) == nil {
            throw .invalidValue(key: key, reason: "must look like whsec_<base64>")
        }
        return secret
    }

    public static func outboundEndpoints(
        _ path: String, _ keyPath: WritableKeyPath<Root, [EndpointName: OutboundEndpointSettings]> & Sendable
    ) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: true) { config, input throws(ConfigError) in
            guard case .json(.object(let members)) = input else {
                throw .invalidValue(key: path, reason: "must be an object of endpoint names")
            }
            for name in members.keys.sorted() where !name.hasPrefix("_") {
                let key = "\(path).\(name)"
                guard OutboundEndpoint.isValidName(name) else {
                    throw .invalidValue(key: key, reason: "endpoint names use a-z, 0-9, _ and - (at most 64)")
                }
                guard case .object(let fields) = members[name]! else {
                    throw .invalidValue(key: key, reason: "must be an object")
                }
                let endpoint = EndpointName(name)
                var settings = config[keyPath: keyPath][endpoint] ?? OutboundEndpointSettings()
                for field in fields.keys.sorted() where !field.hasPrefix("_") {
                    try apply(field, fields[field]!, to: &settings, key: "\(key).\(field)",
                              builtIn: BuiltInEndpoint(rawValue: name))
                }
                config[keyPath: keyPath][endpoint] = settings
            }
        }
    }

    private static func apply(_ field: String, _ value: JSONValue, to settings: inout OutboundEndpointSettings,
                              key: String, builtIn: BuiltInEndpoint?) throws(ConfigError) {
        switch field {
        case "url":
            if let builtIn, !builtIn.takesURLFromEndpointEntry {
                throw .invalidValue(key: key, reason: "a built-in endpoint takes its URL from its own key: "
                                    + "\(builtIn.urlSetting.path) or \(builtIn.urlSetting.env)")
            }
            settings.url = try optionalText(.json(value), key: key)
            if let url = settings.url { try checkURL(url, key: key) }
        case "signing_secret":
            settings.signingSecret = try optionalSigningSecret(.json(value), key: key)
        case "bearer_token":
            settings.bearerToken = try optionalText(.json(value), key: key)
        case "connect_timeout":
            settings.connectTimeoutMilliseconds = try endpointDuration(value, key: key, range: 1...300_000)
        case "total_timeout":
            settings.totalTimeoutMilliseconds = try endpointDuration(value, key: key, range: 1...3_600_000)
        case "max_concurrency":
            settings.maxConcurrency = try endpointInt(value, key: key, range: 1...10_000)
        case "rate_per_second":
            settings.ratePerSecond = try endpointInt(value, key: key, range: 0...1_000_000)
        case "max_retry_age":
            settings.maxRetryAgeMilliseconds = try endpointDuration(value, key: key,
                                                                    range: OutboundSettings.maxRetryAgeRange)
        default:
            throw .unknownKey(key)
        }
    }

    private static func endpointDuration(_ value: JSONValue, key: String,
                                         range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw .invalidValue(key: key, reason: "must be a duration string such as \"5s\"")
        }
        return try millis(text, key: key, range: range)
    }

    private static func endpointInt(_ value: JSONValue, key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard !value.isNull else { return nil }
        return try integer(value.int64Value.map { Int($0) }, key: key, range: range)
    }
}
