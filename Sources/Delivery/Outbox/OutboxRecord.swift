import Storage

/// A claimed outbox row: everything needed to send it once more and to record what happened.
public struct OutboxRecord: Sendable {
    public let id: Int64
    public let endpoint: EndpointName
    public let method: String
    public let path: String
    public let headers: [(String, String)]
    public let body: [UInt8]
    public let idempotencyKey: String
    public let orderingKey: String?
    public let traceparent: String?
    /// Unix ms when the state change that caused the call committed.
    public let createdAt: Int64
    /// Unix ms when the call was first meant to go (its enqueue or not-before time); nil for rows an older
    /// version wrote. Its age from then is what `outbound.max_retry_age` limits.
    public let firstDueAt: Int64?
    /// Attempts made before this claim.
    public let attempts: Int
    /// Unix ms when this claim's lease runs out.
    public let leaseExpiresAt: Int64

    /// Columns a claim returns, in the order ``init(row:leaseExpiresAt:)`` reads them by name.
    static let columns = "id, endpoint, method, path, headers, body, idempotency_key, ordering_key, traceparent, "
        + "created_at, first_due_at, attempts"

    init?(row: Row, leaseExpiresAt: Int64) {
        guard let id = row.int64("id"), let endpoint = row.string("endpoint"), let method = row.string("method"),
              let key = row.string("idempotency_key"), let createdAt = row.int64("created_at"),
              let attempts = row.int("attempts")
        else { return nil }
        self.id = id
        self.endpoint = EndpointName(endpoint)
        self.method = method
        self.path = row.string("path") ?? ""
        self.headers = OutboxHeaderLines.decode(row.string("headers") ?? "")
        self.body = row.blob("body") ?? []
        self.idempotencyKey = key
        self.orderingKey = row.string("ordering_key")
        self.traceparent = row.string("traceparent")
        self.createdAt = createdAt
        self.firstDueAt = row.int64("first_due_at")
        self.attempts = attempts
        self.leaseExpiresAt = leaseExpiresAt
    }
}
