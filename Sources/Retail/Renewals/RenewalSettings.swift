import GatewayKit
/// The renewal reminders: when the daily run happens, which days before/after an outlet's `expiry_date`
/// remind it, and the limits on how often a person is messaged. Loaded from the `renewals` section of the config file
/// (see `Config/gateway.example.json`); times are milliseconds here.
public struct RenewalSettings: Sendable, Equatable {
    /// Whether `gateway serve` runs the daily job. Off by default: messaging merchants is the operator's decision.
    /// Opt-outs and stop-on-renewal are recorded either way, and `gateway renewals run` works either way.
    public var enabled = false
    /// When the daily run happens: minutes after midnight in `pos.default_time_zone` (03:00).
    public var runMinuteOfDay = 180
    /// Renewals are computed for outlets expiring within this many days (the API lists them before any reminder).
    public var horizonDays = 60
    /// Days relative to the expiry date on which a reminder goes out (negative = before), ascending, distinct.
    public var offsetsDays = [-14, -7, -1, 3]
    /// Reminder rounds (offsets at which at least one message went out) per renewal, at most.
    public var maxAttemptsPerRenewal = 4
    /// At most one renewal message per phone within this window; 0 = no cap.
    public var contactCapMilliseconds = 86_400_000
    /// Whether a customer who stopped marketing messages in WhatsApp ("Stop promotions") gets no renewal reminders
    /// either (`skipped_opt_out`). Reminders are UTILITY templates, which Meta still delivers; the default follows
    /// what the customer most likely meant.
    public var respectMarketingStop = true
    /// Local hours (in the outlet's time zone) in which nothing is sent; nil = none.
    public var quietHours: QuietHours? = QuietHours(startMinute: 21 * 60, endMinute: 9 * 60)
    /// Whole messages (any case, spaces around ignored) that answer a reminder with "I want to renew", upper-cased:
    /// the reminder templates ask the merchant to reply RENEW.
    public var replyKeywords = ["RENEW", "PERBAHARUI"]
    /// The ticket queue a renewal reply opens its ticket in (the renewals team's).
    public var replyQueue = "renewals"

    public init() {}
}
