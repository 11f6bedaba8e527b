import GatewayKit

extension RenewalSettings {
    /// The keys of the `renewals` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<RenewalSettings>] = [
        .bool("renewals.enabled", env: "RENEWALS_ENABLED", \.enabled),
        .timeOfDay("renewals.run_time", env: "RENEWALS_RUN_TIME", \.runMinuteOfDay),
        .int("renewals.horizon_days", \.horizonDays, range: 1...366),
        .dayOffsets("renewals.offsets_days", \.offsetsDays),
        .int("renewals.max_attempts_per_renewal", \.maxAttemptsPerRenewal, range: 1...100),
        .duration("renewals.contact_cap", \.contactCapMilliseconds, range: 0...(30 * 86_400_000)),
        .bool("renewals.respect_marketing_stop", \.respectMarketingStop),
        .quietHours("renewals.quiet_hours", \.quietHours),
        .replyKeywords("renewals.reply_keywords", \.replyKeywords),
        .ticketQueue("renewals.reply_queue", \.replyQueue),
    ]
}
