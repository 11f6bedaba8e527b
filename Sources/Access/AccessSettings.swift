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

    public init() {}
}
