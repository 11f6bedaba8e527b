import GatewayKit

extension AccessSettings {
    /// The keys of the `access` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<AccessSettings>] = [
        .int("access.password_iterations", \.passwordIterations, range: 10_000...10_000_000),
        .duration("access.session_idle_timeout", \.sessionIdleMilliseconds, range: 60_000...(7 * 86_400_000)),
        .duration("access.session_lifetime", \.sessionLifetimeMilliseconds, range: 60_000...(30 * 86_400_000)),
        .int("access.login_failures_per_account", \.loginFailuresPerAccount, range: 1...1_000),
        .int("access.login_failures_per_address", \.loginFailuresPerAddress, range: 1...100_000),
        .duration("access.login_window", \.loginWindowMilliseconds, range: 1_000...86_400_000),
        .bool("access.secure_cookies", env: "GATEWAY_SECURE_COOKIES", \.secureCookies),
        .textList("access.allowed_networks", env: "GATEWAY_ALLOWED_NETWORKS", \.allowedNetworks,
                  isValid: { NetworkRange($0) != nil }, reason: "must be an address or CIDR range (10.0.0.0/8, fd00::/8)"),
        .int("access.rate_limit.per_credential", \.requestsPerCredentialPerSecond, range: 0...1_000_000),
        .int("access.rate_limit.per_credential_burst", \.requestsPerCredentialBurst, range: 1...10_000_000),
        .int("access.rate_limit.per_address", \.requestsPerAddressPerSecond, range: 0...1_000_000),
        .int("access.rate_limit.per_address_burst", \.requestsPerAddressBurst, range: 1...10_000_000),
    ]
}
