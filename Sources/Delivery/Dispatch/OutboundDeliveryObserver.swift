import Storage

/// Told the outcome of each attempt of its endpoint's outbox rows, on the writer's connection, inside the
/// transaction that records that outcome on the outbox row — so the owner of a message (e.g. the WhatsApp message
/// ledger) and the outbox never disagree. Each call runs in its own savepoint: an observer that throws loses only its
/// own changes (logged and counted), never the outbox's.
public protocol OutboundDeliveryObserver: Sendable {
    func record(_ outcome: OutboundDeliveryOutcome, in connection: any DatabaseConnection) throws
}

/// One attempt's result as an observer sees it.
public struct OutboundDeliveryOutcome: Sendable, Equatable {
    public enum Result: String, Sendable {
        case delivered
        /// Failed for now; the row waits for its next attempt.
        case retrying
        /// Finished without delivery and without a dead letter (``DeliveryVerdict/rejected(error:)``).
        case rejected
        /// Moved to the dead-letter table (permanent, exhausted, gone or undeliverable).
        case deadLettered = "dead_lettered"
    }

    public let endpoint: EndpointName
    public let idempotencyKey: String
    public let result: Result
    /// The HTTP status; nil for transport errors and rows dead-lettered without an attempt (parked or expired).
    public let status: Int?
    public let error: String?
    /// The answer's body (up to 16 KiB); empty when there was none.
    public let responseBody: [UInt8]
    /// Attempts made, this one included.
    public let attempts: Int
    /// Unix ms of the outcome.
    public let at: Int64

    public init(endpoint: EndpointName, idempotencyKey: String, result: Result, status: Int?, error: String?,
                responseBody: [UInt8], attempts: Int, at: Int64) {
        self.endpoint = endpoint
        self.idempotencyKey = idempotencyKey
        self.result = result
        self.status = status
        self.error = error
        self.responseBody = responseBody
        self.attempts = attempts
        self.at = at
    }
}
