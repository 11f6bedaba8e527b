/// Why a delivery left the outbox for the dead-letter table (the `reason` column).
public enum DeadLetterReason: String, Sendable, CaseIterable {
    /// The receiver refused it for good: a 4xx other than 408/425/429/410, a redirect, or an unsendable request.
    case permanent
    /// Retries ran out: every allowed attempt failed with a retryable error, or the delivery passed its retry horizon
    /// by age (`outbound.max_retry_age`; error class `expired`, however many attempts it had).
    case exhausted
    /// Never attempted: the endpoint has no URL or is not configured at all.
    case undeliverable
    /// The receiver answered 410 Gone; the endpoint was disabled too.
    case gone
}
