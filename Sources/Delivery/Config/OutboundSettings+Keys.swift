import GatewayKit

extension OutboundSettings {
    /// The range of `outbound.max_retry_age` and of its per-endpoint override: a minute to 30 days.
    public static let maxRetryAgeRange = 60_000...(30 * 86_400_000)

    /// The keys of the `outbound` section and of the built-in endpoints' URLs (``BuiltInEndpoint/urlSetting``): file
    /// key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<OutboundSettings>] = [
        .duration("outbound.connect_timeout", \.connectTimeoutMilliseconds, range: 1...300_000),
        .duration("outbound.total_timeout", \.totalTimeoutMilliseconds, range: 1...3_600_000),
        .int("outbound.max_concurrency", \.maxConcurrency, range: 1...10_000),
        .int("outbound.rate_per_second", \.ratePerSecond, range: 0...1_000_000),
        .durationList("outbound.retry_schedule", \.retryScheduleMilliseconds, range: 1...(30 * 86_400_000)),
        .int("outbound.max_attempts", \.maxAttempts, range: 1...1_000),
        .duration("outbound.max_retry_age", \.maxRetryAgeMilliseconds, range: maxRetryAgeRange),
        .duration("outbound.max_retry_after", \.maxRetryAfterMilliseconds, range: 0...(30 * 86_400_000)),
        .int("outbound.breaker_failure_threshold", \.breakerFailureThreshold, range: 0...100_000),
        .duration("outbound.breaker_cool_down", \.breakerCoolDownMilliseconds, range: 1...86_400_000),
        .duration("outbound.lease", \.leaseMilliseconds, range: 100...86_400_000),
        .duration("outbound.poll_interval", \.pollIntervalMilliseconds, range: 10...60_000),
        .int("outbound.claim_batch_size", \.claimBatchSize, range: 1...10_000),
        .duration("outbound.delivered_retention", \.deliveredRetentionMilliseconds,
                  range: 0...(365 * 86_400_000)),
        .signingSecret("outbound.signing_secret", env: "OUTBOUND_SIGNING_SECRET", \.signingSecret),
        .outboundEndpoints("outbound.endpoints", \.endpoints),
    ] + BuiltInEndpoint.withURLSetting.map { endpoint in
        // For `events` the file key is the URL field of its outbound.endpoints entry (read with that entry above), so
        // this key only adds the environment variable.
        .optionalString(endpoint.urlSetting.path, env: endpoint.urlSetting.env, \.[url: endpoint], isURL: true)
    }
}
