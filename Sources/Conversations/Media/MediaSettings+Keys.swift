import GatewayKit

extension MediaSettings {
    /// The keys of the `media` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<MediaSettings>] = [
        .string("media.directory", env: "MEDIA_DIRECTORY", \.directory),
        .int("media.max_bytes", env: "MEDIA_MAX_BYTES", \.maxBytes, range: 1_024...(100 * 1_048_576)),
        .duration("media.retention", \.retentionMilliseconds, range: 0...(3_650 * 86_400_000)),
        .int("media.max_attempts", \.maxAttempts, range: 1...100),
        .duration("media.retry_delay", \.retryDelayMilliseconds, range: 10...3_600_000),
        .duration("media.download_timeout", \.downloadTimeoutMilliseconds, range: 1_000...600_000),
        .int("media.concurrency", \.concurrency, range: 1...32),
        .duration("media.poll_interval", \.pollIntervalMilliseconds, range: 10...60_000),
    ]
}
