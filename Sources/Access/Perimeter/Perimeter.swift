/// What `/v1` and the console check before anything else, by source address: the allow-list of networks and the
/// per-address rate limit; and after the credential, the per-credential rate limit.
public struct Perimeter: Sendable {
    /// Why a request is turned away at the perimeter.
    public enum Refusal: Sendable, Equatable {
        /// The address is outside `access.allowed_networks` (403).
        case addressNotAllowed(String)
        /// Too many requests from this address or with this credential (429 after these seconds).
        case tooManyRequests(retryAfterSeconds: Int)
    }

    private let allowed: [NetworkRange]
    private let perAddress: RateLimiter
    private let perCredential: RateLimiter

    public init(settings: AccessSettings) {
        allowed = settings.allowedNetworks.compactMap(NetworkRange.init)
        perAddress = RateLimiter(ratePerSecond: settings.requestsPerAddressPerSecond,
                                 burst: settings.requestsPerAddressBurst)
        perCredential = RateLimiter(ratePerSecond: settings.requestsPerCredentialPerSecond,
                                    burst: settings.requestsPerCredentialBurst)
    }

    /// Checks the source `address` (nil when the socket reported none: then only an empty allow-list lets it in).
    public func admit(address: String?, now: Int64) -> Refusal? {
        if !allowed.isEmpty {
            guard let address, allowed.contains(where: { $0.contains(address) }) else {
                return .addressNotAllowed(address ?? "an unknown address")
            }
        }
        if let address, let seconds = perAddress.take(address, now: now) { return .tooManyRequests(retryAfterSeconds: seconds) }
        return nil
    }

    /// Counts one request of `principal`'s credential.
    public func admit(_ principal: Principal, now: Int64) -> Refusal? {
        perCredential.take(principal.credentialID, now: now).map { .tooManyRequests(retryAfterSeconds: $0) }
    }
}
