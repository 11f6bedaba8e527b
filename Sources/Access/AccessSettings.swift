/// Sign-in and session rules, from the `access` section (see `Config/gateway.example.json`); times in milliseconds.
public struct AccessSettings: Sendable, Equatable {
    /// PBKDF2 rounds for new and changed passwords (stored hashes keep their own count).
    public var passwordIterations = PasswordHash.defaultIterations
    /// A session unused this long is over.
    public var sessionIdleMilliseconds = 30 * 60_000
    /// A session is over this long after sign-in, used or not.
    public var sessionLifetimeMilliseconds = 12 * 3_600_000
    /// Failed sign-ins for one email within the window before further attempts are refused (429).
    public var loginFailuresPerAccount = 5
    /// Failed sign-ins from one address within the window before further attempts are refused (429).
    public var loginFailuresPerAddress = 20
    public var loginWindowMilliseconds = 15 * 60_000
    /// Mark the session cookie `Secure` even without the gateway's own TLS (behind a TLS-terminating proxy). With TLS
    /// configured it is always `Secure`.
    public var secureCookies = false
    /// CIDR ranges (`10.0.0.0/8`, `fd00::/8`, a single address) that may call `/v1` and the console; empty = any.
    /// Checked against the connection's address: behind a proxy, that is the proxy's.
    public var allowedNetworks: [String] = []
    /// Requests per second each credential may make on `/v1` on average, and at once; 0 = no limit.
    public var requestsPerCredentialPerSecond = 100
    public var requestsPerCredentialBurst = 500
    /// The same per source address, counted before the credential is checked (so guessing tokens is braked too).
    public var requestsPerAddressPerSecond = 200
    public var requestsPerAddressBurst = 1_000

    public init() {}
}
