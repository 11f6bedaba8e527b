import Identity
/// POS data: how phones and time zones in POS rows are read, and the daily pull of the POS snapshot. Loaded from the
/// `pos` section of the config file (see `Config/gateway.example.json`); times are milliseconds here.
public struct POSSettings: Sendable, Equatable {
    /// Country calling code given to national numbers (`012-3456789` → `60123456789`); Malaysia by default.
    public var defaultCountryCode = "60"
    /// IANA time zone of outlets whose row names none, and of ``syncMinuteOfDay``.
    public var defaultTimeZone = "Asia/Kuala_Lumpur"
    /// Where the daily pull GETs the snapshot (`{"outlets": [...]}` or CSV); nil = no pull.
    public var syncURL: String?
    /// Sent as `Authorization: Bearer …` with the pull; never logged.
    public var syncToken: String?
    /// When the daily pull runs: minutes after midnight in ``defaultTimeZone`` (02:00).
    public var syncMinuteOfDay = 120
    /// Attempts of one daily pull (the first included) before it is given up until the next day and alerted.
    public var syncMaxAttempts = 5
    /// Wait before the second attempt; doubled before each further one.
    public var syncRetryDelayMilliseconds = 60_000
    /// One attempt (connect + download).
    public var syncTimeoutMilliseconds = 120_000
    /// Largest snapshot accepted; a larger one is a failed pull (nothing is imported).
    public var syncMaxBytes = 128 << 20

    public init() {}

    /// The phone normalizer for POS rows, pushes and outlet look-ups.
    public var phoneFormat: PhoneNumberFormat { PhoneNumberFormat(defaultCountryCode: defaultCountryCode) }
}
