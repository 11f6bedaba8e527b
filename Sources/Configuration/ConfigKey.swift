import Delivery
import Foundation
import GatewayKit

/// One configurable setting: where it sits in the JSON file, which environment variable overrides it, and how a raw
/// value is checked and stored. The table of keys is the single source of truth for file keys, env names and docs.
struct ConfigKey: Sendable {
    enum Input {
        case json(JSONValue)
        case env(String)
    }

    let path: String
    let env: String?
    let secret: Bool
    let apply: @Sendable (inout GatewayConfig, Input) throws(ConfigError) -> Void

    /// The name to blame in an error: the file key for file values, the variable for environment values.
    static func name(_ input: Input, path: String, env: String?) -> String {
        if case .env = input, let env { return env }
        return path
    }

    static func string(_ path: String, env: String? = nil, secret: Bool = false,
                       _ keyPath: WritableKeyPath<GatewayConfig, String> & Sendable,
                       allowed: [String]? = nil) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: secret) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!
            if let allowed, !allowed.contains(value) {
                throw .invalidValue(key: key, reason: "must be one of \(allowed.joined(separator: ", "))")
            }
            config[keyPath: keyPath] = value
        }
    }

    static func optionalString(_ path: String, env: String? = nil, secret: Bool = false,
                               _ keyPath: WritableKeyPath<GatewayConfig, String?> & Sendable,
                               isURL: Bool = false) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: secret) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let cleaned = try optionalText(input, key: key)
            if isURL, let url = cleaned { try checkURL(url, key: key) }
            config[keyPath: keyPath] = cleaned
        }
    }

    static func url(_ path: String, env: String? = nil,
                    _ keyPath: WritableKeyPath<GatewayConfig, String> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!
            try checkURL(value, key: key)
            config[keyPath: keyPath] = value
        }
    }

    static func int(_ path: String, env: String? = nil, _ keyPath: WritableKeyPath<GatewayConfig, Int> & Sendable,
                    range: ClosedRange<Int>) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let number: Int?
            switch input {
            case .json(let value): number = value.int64Value.map { Int($0) }
            case .env(let raw): number = Int(raw.trimmingCharacters(in: .whitespaces))
            }
            config[keyPath: keyPath] = try integer(number, key: key, range: range)
        }
    }

    static func bool(_ path: String, env: String? = nil,
                     _ keyPath: WritableKeyPath<GatewayConfig, Bool> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            switch input {
            case .json(let value):
                guard let b = value.boolValue else { throw .invalidValue(key: path, reason: "must be true or false") }
                config[keyPath: keyPath] = b
            case .env(let raw):
                switch raw.lowercased() {
                case "1", "true", "yes", "on": config[keyPath: keyPath] = true
                case "0", "false", "no", "off", "": config[keyPath: keyPath] = false
                default: throw .invalidValue(key: env ?? path, reason: "must be true or false")
                }
            }
        }
    }

    /// A list of Standard Webhooks secrets: JSON array of strings, or a comma-separated environment variable.
    static func webhookSecrets(_ path: String, env: String,
                               _ keyPath: WritableKeyPath<GatewayConfig, [String]> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: true) { config, input throws(ConfigError) in
            let key: String
            let items: [String]
            switch input {
            case .json(let value):
                key = path
                guard let array = value.arrayValue else { throw .invalidValue(key: key, reason: "must be an array of strings") }
                var strings: [String] = []
                for element in array {
                    guard let s = element.stringValue else { throw .invalidValue(key: key, reason: "must be an array of strings") }
                    strings.append(s)
                }
                items = strings
            case .env(let raw):
                key = env
                items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            for (index, secret) in items.enumerated() where WebhookSecret(encoded: secret) == nil {
                throw .invalidValue(key: "\(key)[\(index)]", reason: "must look like whsec_<base64>")
            }
            config[keyPath: keyPath] = items
        }
    }

    /// `number` when present and within `range`; otherwise the error naming `key`.
    static func integer(_ number: Int?, key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let number else { throw .invalidValue(key: key, reason: "must be an integer") }
        guard range.contains(number) else {
            throw .invalidValue(key: key, reason: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    static func text(_ input: Input, key: String, allowNull: Bool) throws(ConfigError) -> String? {
        switch input {
        case .env(let raw): return raw
        case .json(.string(let s)): return s
        case .json(.null) where allowNull: return nil
        case .json: throw .invalidValue(key: key, reason: allowNull ? "must be a string or null" : "must be a string")
        }
    }

    static func checkURL(_ value: String, key: String) throws(ConfigError) {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidValue(key: key, reason: "must be an http(s) URL") }
    }
}
