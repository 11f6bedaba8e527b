import HTTPClient

/// Why one attempt to fetch something the gateway needs from an outside system failed (a chat-history preview, the
/// POS snapshot). The caller's worker decides about another attempt from ``retryable``.
public struct FetchFailure: Error, Sendable, Equatable {
    /// A short class for metric labels: `timeout`, `connection`, `http_5xx`, `http_4xx`, `invalid_response`, ...
    public let reason: String
    /// For the log (never shown to users).
    public let detail: String
    /// Worth another attempt (timeouts, connection errors, 5xx, 429).
    public let retryable: Bool

    public init(reason: String, detail: String, retryable: Bool) {
        self.reason = reason
        self.detail = detail
        self.retryable = retryable
    }

    /// A non-2xx answer from `system`, classified like outbound deliveries: 408, 425, 429 and 5xx are retried.
    public init(status: Int, from system: String) {
        let errorClass = DeliveryErrorClass(status: status)
        self.init(reason: errorClass.rawValue, detail: "\(system) answered \(status)", retryable: errorClass.isRetryable)
    }

    /// No answer: timeouts and connection trouble are retried.
    public init(_ error: ClientError) {
        let errorClass = DeliveryErrorClass(error)
        self.init(reason: errorClass.rawValue, detail: "\(error)", retryable: errorClass.isRetryable)
    }
}
