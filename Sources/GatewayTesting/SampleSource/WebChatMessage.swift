import Delivery
import GatewayKit

/// One visitor message as the web chat backend sends it:
/// `{"id": "m-1", "phone": "60123456789", "name": "Aina", "text": "Hello", "sent_at": 1750000000}`; `name` is
/// optional, `sent_at` is unix seconds.
struct WebChatMessage {
    let id: String
    let phone: String
    let name: String?
    let text: String
    let sentAt: Int64

    /// Reads and checks a body; the errors name each bad field.
    init(json: JSONValue) throws(GatewayError) {
        guard case .object(let members) = json else {
            throw .validation([FieldError(field: "body", message: "must be a JSON object")])
        }
        var fields = FieldValidator(members)
        let id = fields.requiredString("id")
        let phone = fields.requiredString("phone")
        let name = fields.boundedString("name", maxLength: 256)
        let text = fields.requiredString("text")
        let sentAt = fields.requiredInteger("sent_at", in: 0...4_102_444_800)
        if let id, id.count > 128 { fields.fail("id", "must be at most 128 characters") }
        if let text, text.count > 4_096 { fields.fail("text", "must be at most 4096 characters") }
        if let phone, phone.count > 15 || !phone.allSatisfy(\.isASCIIDigit) {
            fields.fail("phone", "must be the international number in digits, without +")
        }
        guard fields.errors.isEmpty, let id, let phone, let text, let sentAt else {
            throw .validation(fields.errors)
        }
        self.id = id
        self.phone = phone
        self.name = name
        self.text = text
        self.sentAt = sentAt
    }

    /// The source-independent message the inbound steps read.
    var inbound: InboundMessage {
        InboundMessage(id: "webchat.\(id)", channelID: InboxSource.webChat.rawValue, accountID: nil,
                       senderPhone: phone, profileName: name,
                       timestamp: sentAt, type: .text, text: text)
    }
}

/// Turns a stored web chat delivery into one `message` item, deduplicated by the widget's message id.
struct WebChatNormalizer: DeliveryNormalizer {
    var source: InboxSource { .webChat }

    func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        let message = try WebChatMessage(json: try JSONParser.parse(delivery.body)).inbound
        let event = InboundEvent.message(message)
        return NormalizationResult(items: [NormalizedItem(kind: event.kind, dedupeKey: "webchat:msg:\(message.id)",
                                                          occurredAt: message.timestamp, payload: event.toJSON())])
    }
}
