/// A verified delivery about to be written to the inbox. The response the sender gets is decided before the write and
/// stored with it, so a replayed delivery receives byte-for-byte the first answer.
public struct NewDelivery: Sendable, Equatable {
    public let publicID: String
    public let source: InboxSource
    /// Unique per source: `whatsapp:<sha256 of body>`, `chatbot:<webhook-id>`, `agent:<webhook-id>`.
    public let dedupeKey: String
    public let receivedAtMillis: Int64
    public let requestID: String?
    public let traceparent: String?
    public let body: [UInt8]
    public let responseStatus: Int
    public let responseBody: [UInt8]

    public init(publicID: String, source: InboxSource, dedupeKey: String, receivedAtMillis: Int64, requestID: String?,
                traceparent: String?, body: [UInt8], responseStatus: Int, responseBody: [UInt8]) {
        self.publicID = publicID
        self.source = source
        self.dedupeKey = dedupeKey
        self.receivedAtMillis = receivedAtMillis
        self.requestID = requestID
        self.traceparent = traceparent
        self.body = body
        self.responseStatus = responseStatus
        self.responseBody = responseBody
    }
}

/// What appending a delivery did.
public enum AppendOutcome: Sendable, Equatable {
    /// Newly committed.
    case stored
    /// Already in the inbox under the same dedupe key: answer what was answered the first time.
    case duplicate(publicID: String, responseStatus: Int, responseBody: [UInt8])
}

/// A committed delivery waiting for (or undergoing) normalization.
public struct StoredDelivery: Sendable, Equatable {
    /// The row's id: in the inbox log for a logged delivery, else in the `inbox` table.
    public let id: Int64
    public let publicID: String
    public let source: InboxSource
    public let body: [UInt8]
    public let attempts: Int
    /// The whole delivery as the acknowledgement appended it to the inbox log; nil for a delivery already in the
    /// `inbox` table (one stored there before the log existed). Recording its normalization writes its `inbox` row.
    public let logged: NewDelivery?
    /// The transaction that appended a logged delivery (``LogPosition/transaction``).
    public let logTransaction: Int64

    public init(id: Int64, publicID: String, source: InboxSource, body: [UInt8], attempts: Int,
                logged: NewDelivery? = nil, logTransaction: Int64 = 0) {
        self.id = id
        self.publicID = publicID
        self.source = source
        self.body = body
        self.attempts = attempts
        self.logged = logged
        self.logTransaction = logTransaction
    }

    /// Where a logged delivery stands in the inbox log's reading order; nil for one of the `inbox` table.
    public var logPosition: LogPosition? {
        logged == nil ? nil : LogPosition(transaction: logTransaction, id: id)
    }
}

/// How the items of one normalized delivery were recorded.
public struct NormalizationOutcome: Sendable, Equatable {
    public var stored = 0
    public var duplicates = 0
    public var failed = 0
    /// The items stored (pending), with their row ids: what the normalizer hands to the inbound applier.
    public var recorded: [RecordedItem] = []
    public init(stored: Int = 0, duplicates: Int = 0, failed: Int = 0) {
        self.stored = stored
        self.duplicates = duplicates
        self.failed = failed
    }
}

/// An item just recorded as pending in `inbox_items`, with its row id.
public struct RecordedItem: Sendable, Equatable {
    public let id: Int64
    public let item: NormalizedItem
}

/// What normalizing one delivery produced: its items, or why the delivery as a whole is unusable.
public struct DeliveryNormalization: Sendable {
    public let delivery: StoredDelivery
    /// nil when the delivery could not be normalized at all; `failure` then says why.
    public let result: NormalizationResult?
    public let failure: String?

    public init(delivery: StoredDelivery, result: Result<NormalizationResult, any Error>) {
        self.delivery = delivery
        switch result {
        case .success(let normalized): (self.result, self.failure) = (normalized, nil)
        // Errors are not Sendable; only their description travels to the writer thread.
        case .failure(let error): (self.result, self.failure) = (nil, String(describing: error))
        }
    }
}
