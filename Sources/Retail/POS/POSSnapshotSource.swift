import Delivery
/// Where the daily pull gets the POS snapshot: the POS HTTP API in production (an adapter), stubs in tests. One call
/// is one attempt; ``POSSyncTask`` decides about retries.
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

/// Why one pull attempt failed (nothing was imported). `reason` is a metric label: `http_5xx`, `http_4xx`,
/// `http_429`, `timeout`, `connect`, `too_large`, `invalid_data`, `store`, ...; a refusal or a malformed snapshot is
/// not retryable.
public typealias POSPullFailure = FetchFailure
