import Crypto

/// A Standard Webhooks signing secret, written `whsec_<base64 key>`; the HMAC key is the decoded bytes.
public struct WebhookSecret: Sendable, Equatable {
    public let key: [UInt8]

    public init?(encoded: String) {
        guard encoded.hasPrefix("whsec_"), let key = Base64.decode(String(encoded.dropFirst(6))),
              key.count >= 16
        else { return nil }
        self.key = key
    }

    public init(key: [UInt8]) { self.key = key }

    /// The `whsec_` form of this secret.
    public var encoded: String { "whsec_" + Base64.encode(key) }
}
