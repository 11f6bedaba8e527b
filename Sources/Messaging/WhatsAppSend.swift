import GatewayKit
/// One WhatsApp message to send through the outbox (see ``WhatsAppSender``).
public struct WhatsAppSend: Sendable, Equatable {
    public var recipient: WhatsAppRecipient
    public var content: WhatsAppContent
    /// Why it is sent, so its owner can find it again: `ticket_reply`, `csat`, `renewal`, `outlet_choice`,
    /// `manual`, ... (1–32 of a-z, 0-9, `_`).
    public var purpose: String
    /// The owner's id for it (ticket id, renewal attempt id, ...), at most 128 characters.
    public var reference: String?
    /// Unique per logical message (1–200 visible ASCII characters): enqueuing the same key again returns the first
    /// message instead of sending twice.
    public var idempotencyKey: String
    /// W3C `traceparent` of the request that caused the send.
    public var traceparent: String?
    /// Earliest send time (unix ms), e.g. the end of the recipient's quiet hours; nil = at once.
    public var notBeforeMillis: Int64?

    public init(recipient: WhatsAppRecipient, content: WhatsAppContent, purpose: String, reference: String? = nil,
                idempotencyKey: String, traceparent: String? = nil, notBeforeMillis: Int64? = nil) {
        self.recipient = recipient
        self.content = content
        self.purpose = purpose
        self.reference = reference
        self.idempotencyKey = idempotencyKey
        self.traceparent = traceparent
        self.notBeforeMillis = notBeforeMillis
    }

    /// Problems with the bookkeeping fields (`purpose`, `reference`, `idempotency_key`).
    func problems() -> [FieldError] {
        var problems: [FieldError] = []
        if !(1...32).contains(purpose.utf8.count)
            || !purpose.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) {
            problems.append(FieldError(field: "purpose", message: "must be 1-32 characters of a-z, 0-9 and _"))
        }
        if let reference, reference.isEmpty || reference.count > 128 {
            problems.append(FieldError(field: "reference", message: "must be 1-128 characters"))
        }
        if !(1...200).contains(idempotencyKey.utf8.count) || !idempotencyKey.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            problems.append(FieldError(field: "idempotency_key", message: "must be 1-200 visible ASCII characters"))
        }
        return problems
    }
}
