import GatewayKit
import Messaging
extension ConfigKey {
    /// A WhatsApp template language code (`en`, `ms`, `pt_BR`).
    public static func languageCode(_ path: String, env: String,
                                    _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!
            guard WhatsAppTemplateFile.isLanguageCode(value) else {
                throw .invalidValue(key: key, reason: "must be a language code like en, ms or en_US")
            }
            config[keyPath: keyPath] = value
        }
    }
}
