import GatewayKit
/// One unit of work found inside a stored delivery (a WhatsApp message, a status update, a contact, a bot command).
/// `dedupeKey` is unique across the store: the same message id delivered twice is stored once and applied once.
public struct NormalizedItem: Sendable, Equatable {
    /// Short machine name of the item kind, e.g. `message`, `status`, `contact`, `identity_change`.
    public let kind: String
    /// Globally unique key for this item, e.g. `wa:msg:<wamid>` or `wa:status:<wamid>:delivered`.
    public let dedupeKey: String
    /// When the outside system says it happened (unix seconds), if it says.
    public let occurredAt: Int64?
    private let content: Content

    /// What an item holds: a payload as given, or the event its payload is written from.
    private enum Content: Sendable {
        case payload(JSONValue)
        case event(InboundEvent)
    }

    public init(kind: String, dedupeKey: String, occurredAt: Int64?, payload: JSONValue) {
        self.kind = kind
        self.dedupeKey = dedupeKey
        self.occurredAt = occurredAt
        content = .payload(payload)
    }

    /// An item of `event`, whose payload is the event's ``InboundEvent/toJSON()``: the steps that apply it take the
    /// event as it is (``event``) rather than reading it back from the payload, and the payload's JSON tree is only
    /// built when someone asks for it.
    public init(event: InboundEvent, dedupeKey: String, occurredAt: Int64?) {
        kind = event.kind
        self.dedupeKey = dedupeKey
        self.occurredAt = occurredAt
        content = .event(event)
    }

    /// The normalized item, as stored in `inbox_items.payload` (schema per kind, documented by the adapter).
    public var payload: JSONValue {
        switch content {
        case .payload(let payload): return payload
        case .event(let event): return event.toJSON()
        }
    }

    /// The event the item was made from (``init(event:dedupeKey:occurredAt:)``); nil for an item given its payload,
    /// whose event (if any) is read from it.
    public var event: InboundEvent? {
        if case .event(let event) = content { return event }
        return nil
    }

    /// The payload as `inbox_items.payload` stores it: ``payload`` written by ``JSONWriter``.
    public var payloadText: String {
        switch content {
        case .payload(let payload): return JSONWriter.string(payload)
        case .event(let event): return event.payloadText
        }
    }

    /// Items are equal when they say the same: an item made from an event equals one given that event's payload.
    public static func == (lhs: NormalizedItem, rhs: NormalizedItem) -> Bool {
        lhs.kind == rhs.kind && lhs.dedupeKey == rhs.dedupeKey && lhs.occurredAt == rhs.occurredAt
            && lhs.payload == rhs.payload
    }
}

/// A part of a delivery that could not be normalized (a "poison" item). It is recorded with its error and never
/// blocks the other items of the same delivery.
public struct ItemFailure: Sendable, Equatable {
    /// JSON path of the offending element, e.g. `entry[0].changes[0].value.messages[2]`.
    public let path: String
    public let error: String
    /// The offending element as received, kept for inspection and replay.
    public let raw: JSONValue

    public init(path: String, error: String, raw: JSONValue) {
        self.path = path
        self.error = error
        self.raw = raw
    }
}

/// Everything found in one delivery.
public struct NormalizationResult: Sendable, Equatable {
    public var items: [NormalizedItem]
    public var failures: [ItemFailure]
    /// Parts of the delivery the gateway does not act on (yet), by the name the source gives them — for WhatsApp a
    /// change's `field`, such as one Meta added after this version. Not a failure: the delivery stays in the inbox as
    /// received, and the normalizer counts them (`gateway_<source>_unhandled_total{field}`) so they are noticed.
    public var unhandled: [String]

    public init(items: [NormalizedItem] = [], failures: [ItemFailure] = [], unhandled: [String] = []) {
        self.items = items
        self.failures = failures
        self.unhandled = unhandled
    }
}

/// Turns the raw body of a stored delivery from one source into normalized items. Runs asynchronously from the inbox,
/// never inside the HTTP request; the body has already been verified and accepted as JSON at ingress.
public protocol DeliveryNormalizer: Sendable {
    var source: InboxSource { get }
    /// Throws only when the delivery as a whole is unusable (it is then marked failed); item-level problems are
    /// reported as ``ItemFailure``s. The delivery's `publicID` can anchor dedupe keys of items that carry no id.
    func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult
}
