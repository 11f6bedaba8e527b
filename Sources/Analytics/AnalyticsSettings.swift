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
    /// Who gets the daily and weekly summary by e-mail (none: no summary).
    public var summaryRecipients: [String] = []
    /// When the summaries go out: minutes after midnight in `timeZone` (07:00). The daily one covers yesterday.
    public var summaryMinuteOfDay = 7 * 60
    /// The day the weekly summary of the last Monday-to-Sunday week goes out with the daily one (`mon` … `sun`).
    public var weeklySummaryDay = "mon"

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public init() {}

    public static let configKeys: [ConfigKey<AnalyticsSettings>] = [
        .timeZone("analytics.time_zone", env: "ANALYTICS_TIME_ZONE", \.timeZone),
        .int("analytics.max_range_days", env: "ANALYTICS_MAX_RANGE_DAYS", \.maxRangeDays, range: 1...3_660),
        .int("analytics.high_touch_tickets", \.highTouchTickets, range: 1...100_000),
        .int("analytics.winback_after_days", \.winbackAfterDays, range: 1...3_650),
        .textList("analytics.summary_recipients", env: "ANALYTICS_SUMMARY_RECIPIENTS", \.summaryRecipients,
                  isValid: { $0.contains("@") && !$0.contains(where: { $0 == "<" || $0 == ">" || $0.isWhitespace }) },
                  reason: "must be an e-mail address"),
        .timeOfDay("analytics.summary_time", env: "ANALYTICS_SUMMARY_TIME", \.summaryMinuteOfDay),
        .checkedText("analytics.weekly_summary_day", env: "ANALYTICS_WEEKLY_SUMMARY_DAY", \.weeklySummaryDay,
                     isValid: { weekdays.contains($0.lowercased()) }, reason: "must be a day name: mon, tue, ... sun"),
    ]
}
