import HTTPClient

/// Where the daily pull gets the POS snapshot: the POS HTTP API in production (an adapter), stubs in tests. One call
/// is one attempt; ``POSDailySync`` decides about retries.
public protocol POSSnapshotSource: Sendable {
    /// Downloads the snapshot, blocking the calling thread (the pull runs on its own thread) for at most the
    /// configured timeout.
    func fetchSnapshot() -> Result<POSSnapshot, POSPullFailure>
    /// Fails a running fetch at once and releases connections.
    func shutdown()
}

/// A downloaded snapshot, not yet checked.
public struct POSSnapshot: Sendable {
    public let bytes: [UInt8]
    public let format: POSFileFormat

    public init(bytes: [UInt8], format: POSFileFormat) {
        self.bytes = bytes
        self.format = format
    }
}

/// Why one pull attempt failed. Nothing was imported.
public struct POSPullFailure: Error, Sendable, Equatable {
    /// A short class for metric labels: `http_5xx`, `http_4xx`, `http_429`, `timeout`, `connect`, `too_large`,
    /// `invalid_data`, `store`, ...
    public let reason: String
    /// For the log.
    public let detail: String
    /// Worth another attempt (the POS may recover); a refusal or a malformed snapshot is not.
    public let retryable: Bool

    public init(reason: String, detail: String, retryable: Bool) {
        self.reason = reason
        self.detail = detail
        self.retryable = retryable
    }

    /// A non-200 answer, classified like outbound deliveries: 408, 425, 429 and 5xx are retried.
    public init(status: Int) {
        let errorClass = DeliveryErrorClass(status: status)
        self.init(reason: errorClass.rawValue, detail: "the POS answered \(status)", retryable: errorClass.isRetryable)
    }

    /// No answer: timeouts and connection trouble are retried.
    public init(_ error: ClientError) {
        let errorClass = DeliveryErrorClass(error)
        self.init(reason: errorClass.rawValue, detail: "\(error)", retryable: errorClass.isRetryable)
    }
}
