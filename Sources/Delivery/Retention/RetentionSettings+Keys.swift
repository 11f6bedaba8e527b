import GatewayKit

extension RetentionSettings {
    /// The keys of the `retention` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<RetentionSettings>] = [
        .timeOfDay("retention.time", env: "RETENTION_TIME", \.minuteOfDay),
        .duration("retention.timeline", \.timelineMilliseconds, range: 0...(10 * 366 * 86_400_000)),
        .duration("retention.idempotency_keys", \.idempotencyKeysMilliseconds, range: 3_600_000...(30 * 86_400_000)),
        .duration("retention.inbox", \.inboxMilliseconds, range: 0...(10 * 366 * 86_400_000)),
        .duration("retention.message_bodies", \.messageBodiesMilliseconds, range: 0...(10 * 366 * 86_400_000)),
        .duration("retention.dead_letters", \.deadLettersMilliseconds, range: 0...(10 * 366 * 86_400_000)),
        .duration("retention.audit_events", \.auditEventsMilliseconds, range: 0...(10 * 366 * 86_400_000)),
        .duration("retention.sessions", \.sessionsMilliseconds, range: 0...(366 * 86_400_000)),
    ]
}
