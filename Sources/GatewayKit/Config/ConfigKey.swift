import Foundation

/// A raw value of a setting: from the JSON file, or from an environment variable.
public enum ConfigInput: Sendable {
    case json(JSONValue)
    case env(String)
}

/// One configurable setting: where it sits in the JSON file, which environment variable overrides it, and how a raw
/// value is checked and stored, for settings of type `Root`. Each module lists the keys of its own settings; the
/// gateway's table lifts them into the whole configuration (``lifted(_:)``), the single source of truth for file
/// keys, env names and docs.
public struct ConfigKey<Root>: Sendable {
    public typealias Input = ConfigInput

    /// The dotted key in the file (`tickets.sla.resolution`).
    public let path: String
    /// The environment variable that overrides it, if any.
    public let env: String?
    /// Whether the value is a secret (never logged).
    public let secret: Bool
    /// Checks a raw value and stores it in the settings.
    public let apply: @Sendable (inout Root, Input) throws(ConfigError) -> Void

    public init(path: String, env: String?, secret: Bool,
                apply: @escaping @Sendable (inout Root, Input) throws(ConfigError) -> Void) {
        self.path = path
        self.env = env
        self.secret = secret
        self.apply = apply
    }

    /// The same key for settings held at `keyPath` of a larger configuration: how a module's keys join the
    /// gateway's.
    public func lifted<Outer>(_ keyPath: WritableKeyPath<Outer, Root> & Sendable) -> ConfigKey<Outer> {
        let apply = self.apply
        return ConfigKey<Outer>(path: path, env: env, secret: secret) { outer, input throws(ConfigError) in
            try apply(&outer[keyPath: keyPath], input)
        }
    }

    /// The name to blame in an error: the file key for file values, the variable for environment values.
    public static func name(_ input: Input, path: String, env: String?) -> String {
        if case .env = input, let env { return env }
        return path
    }

    public static func string(_ path: String, env: String? = nil, secret: Bool = false,
                              _ keyPath: WritableKeyPath<Root, String> & Sendable,
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

    public static func optionalString(_ path: String, env: String? = nil, secret: Bool = false,
                                      _ keyPath: WritableKeyPath<Root, String?> & Sendable,
                                      isURL: Bool = false) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: secret) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let cleaned = try optionalText(input, key: key)
            if isURL, let url = cleaned { try checkURL(url, key: key) }
            config[keyPath: keyPath] = cleaned
        }
    }

    public static func url(_ path: String, env: String? = nil,
                           _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!
            try checkURL(value, key: key)
            config[keyPath: keyPath] = value
        }
    }

    public static func int(_ path: String, env: String? = nil, _ keyPath: WritableKeyPath<Root, Int> & Sendable,
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

    public static func bool(_ path: String, env: String? = nil,
                            _ keyPath: WritableKeyPath<Root, Bool> & Sendable) -> ConfigKey {
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

    /// `number` when present and within `range`; otherwise the error naming `key`.
    public static func integer(_ number: Int?, key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let number else { throw .invalidValue(key: key, reason: "must be an integer") }
        guard range.contains(number) else {
            throw .invalidValue(key: key, reason: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    public static func text(_ input: Input, key: String, allowNull: Bool) throws(ConfigError) -> String? {
        switch input {
        case .env(let raw): return raw
        case .json(.string(let s)): return s
        case .json(.null) where allowNull: return nil
        case .json: throw .invalidValue(key: key, reason: allowNull ? "must be a string or null" : "must be a string")
        }
    }

    public static func checkURL(_ value: String, key: String) throws(ConfigError) {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidValue(key: key, reason: "must be an http(s) URL") }
    }
}

extension Array {
    /// Keys of a module's settings, lifted into the configuration that holds them at `keyPath`.
    public func lifted<Root, Outer>(_ keyPath: WritableKeyPath<Outer, Root> & Sendable) -> [ConfigKey<Outer>]
        where Element == ConfigKey<Root> {
        map { $0.lifted(keyPath) }
    }
}
