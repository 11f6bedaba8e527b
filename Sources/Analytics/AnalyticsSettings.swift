import GatewayKit

/// The desk's figures and exports, from the `analytics` section (see `Config/gateway.example.json`).
public struct AnalyticsSettings: Sendable, Equatable {
    /// The organisation's time zone: the days, weeks and months figures are grouped by, and the dates of `from` / `to`.
    public var timeZone = "Asia/Kuala_Lumpur"
    /// The longest range one query or export may cover, in days (both ends included).
    public var maxRangeDays = 366
    /// Tickets in one calendar month that make an outlet high-touch.
    public var highTouchTickets = 5
    /// A renewal that comes this many days or more after the expiry date is a win-back (a customer who had gone),
    /// not a recovery.
    public var winbackAfterDays = 30

    public init() {}

    public static let configKeys: [ConfigKey<AnalyticsSettings>] = [
        .timeZone("analytics.time_zone", env: "ANALYTICS_TIME_ZONE", \.timeZone),
        .int("analytics.max_range_days", env: "ANALYTICS_MAX_RANGE_DAYS", \.maxRangeDays, range: 1...3_660),
        .int("analytics.high_touch_tickets", \.highTouchTickets, range: 1...100_000),
        .int("analytics.winback_after_days", \.winbackAfterDays, range: 1...3_650),
    ]
}
