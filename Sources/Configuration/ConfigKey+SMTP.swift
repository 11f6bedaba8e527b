import GatewayKit
/// The outgoing mail server's address.
extension ConfigKey {
    /// An `smtp://` or `smtps://` URL with a host; null or "" = no e-mail.
    static func smtpURL(_ path: String, env: String, _ keyPath: WritableKeyPath<Root, String?> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try optionalText(input, key: key)
            if let value, !(value.hasPrefix("smtp://") || value.hasPrefix("smtps://")) || value.split(separator: "/").count < 2 {
                throw .invalidValue(key: key, reason: "must be an smtp:// or smtps:// URL such as smtp://mail.example.com:587")
            }
            config[keyPath: keyPath] = value
        }
    }
}
