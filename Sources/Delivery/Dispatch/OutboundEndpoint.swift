/// A named delivery target as the dispatcher uses it: URL, credentials and limits resolved from configuration.
public struct OutboundEndpoint: Sendable, Equatable {
    public let name: EndpointName
    /// Base URL the message path is appended to; nil = not configured, so its events are parked as undeliverable.
    public let url: String?
    /// Why there is no URL, naming the setting to fix (for the dead letter and the log).
    public let missingURLReason: String
    public let signingSecret: WebhookSecret?
    public let bearerToken: String?
    public let connectTimeoutMilliseconds: Int
    public let totalTimeoutMilliseconds: Int
    public let maxConcurrency: Int
    /// Requests started per second; 0 = unlimited.
    public let ratePerSecond: Int

    public init(name: EndpointName, url: String?, missingURLReason: String = "no URL is configured",
                signingSecret: WebhookSecret? = nil, bearerToken: String? = nil, connectTimeoutMilliseconds: Int = 5_000,
                totalTimeoutMilliseconds: Int = 15_000, maxConcurrency: Int = 64, ratePerSecond: Int = 0) {
        self.name = name
        self.url = url
        self.missingURLReason = missingURLReason
        self.signingSecret = signingSecret
        self.bearerToken = bearerToken
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        self.maxConcurrency = maxConcurrency
        self.ratePerSecond = ratePerSecond
    }

    /// Endpoint names become metric labels, log fields and URL path segments: a-z, 0-9, `_` and `-`, at most 64.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
