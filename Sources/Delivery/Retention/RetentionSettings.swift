/// How long each kind of stored data is kept, and when the daily purge runs: the `retention` section (see
/// `Config/gateway.example.json`); times in milliseconds, 0 = kept forever.
public struct RetentionSettings: Sendable, Equatable {
    /// When the purge runs each day: minutes after midnight UTC (03:00).
    public var minuteOfDay = 180
    /// Timeline entries (chat previews): the CRM's log retention, one year.
    public var timelineMilliseconds = 365 * 86_400_000
    /// Cached answers of `Idempotency-Key` requests.
    public var idempotencyKeysMilliseconds = 86_400_000
    /// Raw webhook deliveries applied in their request (bot and agent commands) and the items of every delivery.
    public var inboxMilliseconds = 30 * 86_400_000
    /// The words, captions and media references of ticket messages and the bodies of outbound WhatsApp messages
    /// (the rows stay for counts and reports).
    public var messageBodiesMilliseconds = 365 * 86_400_000
    /// Dead letters (replay them before they go).
    public var deadLettersMilliseconds = 30 * 86_400_000
    /// The audit log.
    public var auditEventsMilliseconds = 2 * 365 * 86_400_000
    /// Ended and expired console sessions.
    public var sessionsMilliseconds = 30 * 86_400_000

    public init() {}
}
