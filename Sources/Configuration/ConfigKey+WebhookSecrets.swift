import Delivery
import Foundation
import GatewayKit

extension ConfigKey {
    /// A list of Standard Webhooks secrets: JSON array of strings, or a comma-separated environment variable.
    public static func webhookSecrets(_ path: String, env: String,
                                      _ keyPath: WritableKeyPath<Root, [String]> & Sendable) -> ConfigKey {
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
}
