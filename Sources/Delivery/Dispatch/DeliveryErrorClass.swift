import HTTPClient

/// The kind of failure of one attempt, stored in the attempt history and on dead letters (`error_class`) and used
/// as a metric label. The retry rules key on it.
public enum DeliveryErrorClass: String, Sendable {
    case redirect = "http_3xx"
    case requestTimeout = "http_408"
    case tooEarly = "http_425"
    case tooManyRequests = "http_429"
    case gone = "http_410"
    case clientError = "http_4xx"
    case serverError = "http_5xx"
    case timeout
    case connect
    case tls
    case network
    case invalidRequest = "invalid_request"
    case undeliverable
    /// The receiver's body says "too many requests" whatever the status (``DeliveryVerdict/retry(error:notBeforeMillis:)``).
    case rateLimited = "rate_limited"
    /// A final refusal of this message the receiver's body explains (``DeliveryVerdict/rejected(error:)``).
    case rejected
    /// A refusal the receiver's body explains and an operator should see (``DeliveryVerdict/permanent(error:)``).
    case refused
    /// Not attempted again: past the retry horizon by age (`outbound.max_retry_age`), dead-lettered as `exhausted`.
    case expired
    case other

    /// The class of a non-2xx status.
    init(status: Int) {
        switch status {
        case 408: self = .requestTimeout
        case 410: self = .gone
        case 425: self = .tooEarly
        case 429: self = .tooManyRequests
        case 300..<400: self = .redirect
        case 400..<500: self = .clientError
        case 500..<600: self = .serverError
        default: self = .other
        }
    }

    init(_ error: ClientError) {
        switch error {
        case .couldNotConnect: self = .connect
        case .timedOut: self = .timeout
        case .tls: self = .tls
        case .sendOrReceive: self = .network
        case .invalidRequest: self = .invalidRequest
        case .shutDown, .other: self = .other
        }
    }

    /// Worth another attempt later: the receiver may recover (408/425/429/5xx, timeouts, connection trouble).
    /// Everything else is a permanent refusal, except 410, which also disables the endpoint.
    var isRetryable: Bool {
        switch self {
        case .requestTimeout, .tooEarly, .tooManyRequests, .serverError, .timeout, .connect, .tls, .network,
             .rateLimited, .other:
            return true
        case .redirect, .gone, .clientError, .invalidRequest, .undeliverable, .rejected, .refused, .expired:
            return false
        }
    }

    /// Counts towards opening the circuit breaker: the endpoint looks unhealthy. A 429 or a rate-limit answer does
    /// not (the receiver is up and says to come back later), nor does a permanent 4xx (the receiver answered).
    var countsAsEndpointFailure: Bool {
        isRetryable && self != .tooManyRequests && self != .rateLimited
    }
}
