import GatewayKit

/// Segments, from the `segments` section (see `Config/gateway.example.json`); times in milliseconds.
public struct SegmentSettings: Sendable, Equatable {
    /// Active segments an organisation may have at once (the plan's limit; archived ones do not count).
    public var limit = 5
    /// When the nightly evaluation of every active segment runs: minutes after midnight in `timeZone` (02:00).
    public var evaluationMinuteOfDay = 120
    /// The organisation's time zone: the nightly run's clock and the days of date filters.
    public var timeZone = "Asia/Kuala_Lumpur"
    /// How soon after a manual refresh another one is refused (429).
    public var refreshIntervalMilliseconds = 30 * 60_000
    /// How long one nightly run may take; segments not reached by then are skipped (and alerted on).
    public var evaluationTimeoutMilliseconds = 10 * 60_000

    public init() {}

    public static let configKeys: [ConfigKey<SegmentSettings>] = [
        .int("segments.limit", env: "SEGMENTS_LIMIT", \.limit, range: 1...100_000),
        .timeOfDay("segments.evaluation_time", env: "SEGMENTS_EVALUATION_TIME", \.evaluationMinuteOfDay),
        .timeZone("segments.time_zone", env: "SEGMENTS_TIME_ZONE", \.timeZone),
        .duration("segments.refresh_interval", \.refreshIntervalMilliseconds, range: 0...86_400_000),
        .duration("segments.evaluation_timeout", \.evaluationTimeoutMilliseconds, range: 1_000...(6 * 3_600_000)),
    ]
}
