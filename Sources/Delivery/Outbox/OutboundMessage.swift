/// One outbound HTTP call to schedule, described without any secret: the endpoint's URL, bearer token and signing
/// secret come from configuration when the call is sent, so the outbox never stores credentials and a corrected URL
/// applies to the backlog too.
public struct OutboundMessage: Sendable {
    /// Name of a configured endpoint (`omnichannel`, `whatsapp`, `chat_panel` or one from `outbound.endpoints`).
    public var endpoint: EndpointName
    public var method: String
    /// Appended to the endpoint's URL: empty, or starting with `/` (may carry a query string).
    public var path: String
    /// Extra request headers. The dispatcher sets `webhook-*`, `traceparent`, `Authorization` and `Content-Length`
    /// itself; messages may not.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Unique per logical call: the receiver sees it as `webhook-id` on every attempt and can dedupe on it.
    /// Enqueuing a key that is already in the outbox or the dead-letter table does nothing.
    public var idempotencyKey: String
    /// Calls with the same ordering key (per endpoint) are delivered one at a time in enqueue order: a later one
    /// waits until the earlier is delivered or dead-lettered. Use a room or contact id; nil = no ordering.
    public var orderingKey: String?
    /// W3C `traceparent` of the inbound request that caused the call, sent along so traces join up.
    public var traceparent: String?
    /// Earliest send time (unix milliseconds); nil = as soon as possible.
    public var notBeforeMillis: Int64?

    public init(endpoint: EndpointName, method: String = "POST", path: String = "", headers: [(String, String)] = [],
                body: [UInt8], idempotencyKey: String, orderingKey: String? = nil, traceparent: String? = nil,
                notBeforeMillis: Int64? = nil) {
        self.endpoint = endpoint
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.idempotencyKey = idempotencyKey
        self.orderingKey = orderingKey
        self.traceparent = traceparent
        self.notBeforeMillis = notBeforeMillis
    }
}

/// What ``Outbox/enqueue(_:in:now:)`` did.
public enum OutboxEnqueueOutcome: Sendable, Equatable {
    /// A new outbox row with this id.
    case enqueued(id: Int64)
    /// The idempotency key is already known (queued, delivered within the retention, or dead-lettered): nothing added.
    case duplicate
}

/// A message that cannot be stored as given; a bug in the caller, reported before anything is written.
public enum OutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidMessage(field: String, reason: String)

    public var description: String {
        switch self {
        case .invalidMessage(let field, let reason): return "invalid outbound message: \(field) \(reason)"
        }
    }
}
