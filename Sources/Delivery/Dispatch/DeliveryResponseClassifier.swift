/// Reads a receiver's answer when its HTTP status alone does not say what happened. An endpoint whose API puts the
/// real outcome in the body (the WhatsApp Cloud API answers rate limits and undeliverable recipients as HTTP 400 with
/// an error code) gets one; every other endpoint keeps the status rules of ``RetryPolicy``.
public protocol DeliveryResponseClassifier: Sendable {
    /// What the answer means. `body` is at most the client's response cap (16 KiB).
    func classify(status: Int, body: [UInt8]) -> DeliveryVerdict
}

/// A classifier's reading of one answer.
public enum DeliveryVerdict: Sendable, Equatable {
    /// Decide by the HTTP status (2xx delivered; 408/425/429/5xx retried; 410 gone; other 4xx dead-lettered).
    case statusRules
    case delivered
    /// The receiver asks to be tried again later: retried on the endpoint's schedule, never sooner than
    /// `notBeforeMillis` (nor than a `Retry-After`). Does not count towards the circuit breaker.
    case retry(error: String, notBeforeMillis: Int?)
    /// A final, expected refusal of this one message (e.g. the recipient cannot receive it): the outbox row is
    /// finished without a dead letter, since replaying it cannot help; the endpoint's observer records why.
    case rejected(error: String)
    /// A refusal an operator should look at: dead-lettered at once as `permanent` with `error`.
    case permanent(error: String)
}
