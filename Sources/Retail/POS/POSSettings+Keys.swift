import GatewayKit

extension POSSettings {
    /// The keys of the `pos` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<POSSettings>] = [
        .countryCode("pos.default_country_code", env: "POS_DEFAULT_COUNTRY_CODE", \.defaultCountryCode),
        .timeZone("pos.default_time_zone", env: "POS_DEFAULT_TIME_ZONE", \.defaultTimeZone),
        .optionalString("pos.sync_url", env: "POS_SYNC_URL", \.syncURL, isURL: true),
        .optionalString("pos.sync_token", env: "POS_SYNC_TOKEN", secret: true, \.syncToken),
        .timeOfDay("pos.sync_time", env: "POS_SYNC_TIME", \.syncMinuteOfDay),
        .int("pos.sync_max_attempts", \.syncMaxAttempts, range: 1...100),
        .duration("pos.sync_retry_delay", \.syncRetryDelayMilliseconds, range: 1...86_400_000),
        .duration("pos.sync_timeout", \.syncTimeoutMilliseconds, range: 1_000...3_600_000),
        .int("pos.sync_max_bytes", \.syncMaxBytes, range: 1024...(2 << 30)),
    ]
}
