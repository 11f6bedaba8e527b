import Delivery
import GatewayKit

extension ConfigKey {
    /// A list of Standard Webhooks secrets: JSON array of strings, or a comma-separated environment variable.
    public static func webhookSecrets(_ path: String, env: String,
                                      _ keyPath: WritableKeyPath<Root, [String]> & Sendable) -> ConfigKey {
        textList(path, env: env, secret: true, keyPath, isValid: { WebhookSecret(encoded: $0) != nil },
                 reason: "must look like whsec_<base64>")
    }
}
