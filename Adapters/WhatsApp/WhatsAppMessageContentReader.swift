import Delivery
import GatewayKit

/// The type-specific part of an inbound message, before it is joined with the sender and envelope fields.
struct WhatsAppMessageContent: Sendable, Equatable {
    var text: String?
    var media: InboundMedia?
    var location: InboundLocation?
    var interactive: InboundInteractiveReply?
    var button: InboundButtonReply?
    var reaction: InboundReaction?
    var order: InboundOrder?
    var sharedContacts: [InboundSharedContact] = []
    var edit: InboundEdit?
    var revokedMessageID: String?
    /// True when the typed fields do not capture the whole content, so the raw message must be kept.
    var keepsRaw = false
}

/// Reads the content object that sits under the message's type name (`text`, `image`, `location`, …). A content object
/// that is missing or wrongly typed makes the whole message a poison item: storing a `text` message without its text
/// would silently lose what the customer said. The exception is a message that carries Meta's `errors[]`
/// (`explained`): Meta says itself that the content could not be delivered, so the message is kept with its errors
/// and its raw copy, not failed.
enum WhatsAppMessageContentReader {
    static func read(_ type: InboundMessageType, from fields: inout WhatsAppFields,
                     explained: Bool = false) -> WhatsAppMessageContent {
        var content = WhatsAppMessageContent()
        if explained, fields.member(type.rawValue) == nil {
            content.keepsRaw = true
            return content
        }
        switch type {
        case .text:
            withObject("text", in: &fields) { text in content.text = text.requiredString("body") }
        case .image, .audio, .video, .document, .sticker:
            withObject(type.rawValue, in: &fields) { media in content.media = readMedia(&media) }
        case .location:
            withObject("location", in: &fields) { location in content.location = readLocation(&location) }
        case .interactive:
            withObject("interactive", in: &fields) { interactive in
                content.interactive = readInteractive(&interactive)
            }
            // Flow answers and other non-reply interactives are not modelled: their content lives in the raw copy.
            if case .other? = content.interactive?.kind { content.keepsRaw = true }
        case .button:
            withObject("button", in: &fields) { button in
                content.button = InboundButtonReply(payload: button.optionalString("payload"),
                                                    text: button.optionalString("text"))
            }
        case .reaction:
            withObject("reaction", in: &fields) { reaction in
                let messageID = reaction.requiredString("message_id")
                // Meta signals a removed reaction with an absent or empty emoji.
                let emoji = reaction.optionalString("emoji").flatMap { $0.isEmpty ? nil : $0 }
                content.reaction = messageID.map { InboundReaction(messageID: $0, emoji: emoji) }
            }
        case .order:
            withObject("order", in: &fields) { order in content.order = readOrder(&order) }
        case .contacts:
            content.sharedContacts = readSharedContacts(&fields)
        case .edit:
            // `{"original_message_id", "message": {"type", "text": {"body"} | "<media>": {"caption"}}}`
            withObject("edit", in: &fields) { edit in
                let original = edit.requiredString("original_message_id")
                let message = edit.optionalObject("message")
                let type = message?["type"]?.stringValue
                let text = message?["text"]?["body"]?.stringValue ?? type.flatMap { message?[$0]?["caption"]?.stringValue }
                content.edit = original.map { InboundEdit(originalMessageID: $0, text: text) }
            }
        case .revoke:
            withObject("revoke", in: &fields) { revoke in
                content.revokedMessageID = revoke.requiredString("original_message_id")
            }
        case .system, .unsupported, .unknown:
            content.keepsRaw = true
        }
        return content
    }

    /// Runs `read` over the required object `key`, then files its problems under `fields`.
    private static func withObject(_ key: String, in fields: inout WhatsAppFields,
                                   _ read: (inout WhatsAppFields) -> Void) {
        guard let object = fields.requiredObject(key) else { return }
        var nested = WhatsAppFields(object, prefix: fields.path(key))
        read(&nested)
        fields.merge(nested)
    }

    /// `{"catalog_id", "text"?, "product_items": [{"product_retailer_id", "quantity", "item_price"?, "currency"?}]}`.
    private static func readOrder(_ order: inout WhatsAppFields) -> InboundOrder? {
        let catalogID = order.optionalString("catalog_id")
        let text = order.optionalString("text")
        var items: [InboundOrder.Item] = []
        for (index, element) in (order.requiredArray("product_items") ?? []).enumerated() {
            guard let object = element.objectValue else {
                order.fail("product_items[\(index)]", "must be an object, got \(element.typeName)")
                continue
            }
            var line = WhatsAppFields(object, prefix: order.path("product_items[\(index)]"))
            let productID = line.requiredString("product_retailer_id")
            let quantityText = line.requiredIdentifier("quantity")
            let quantity = quantityText.flatMap { Int64($0) }
            if quantityText != nil, quantity == nil { line.fail("quantity", "must be a whole number") }
            let price = line.member("item_price").flatMap { $0.doubleValue ?? $0.stringValue.flatMap(Double.init) }
            let currency = line.optionalString("currency")
            order.merge(line)
            if let productID, let quantity {
                items.append(InboundOrder.Item(productID: productID, quantity: quantity, price: price,
                                               currency: currency))
            }
        }
        return InboundOrder(catalogID: catalogID, text: text, items: items)
    }

    /// `contacts: [{"name": {"formatted_name"}, "phones": [{"phone"}], "emails": [{"email"}], …}]`: the name and the
    /// ways to reach each card; the rest of a card (addresses, organisation) stays in the delivery.
    private static func readSharedContacts(_ fields: inout WhatsAppFields) -> [InboundSharedContact] {
        var cards: [InboundSharedContact] = []
        for (index, element) in (fields.requiredArray("contacts") ?? []).enumerated() {
            guard let card = element.objectValue else {
                fields.fail("contacts[\(index)]", "must be an object, got \(element.typeName)")
                continue
            }
            let name = card["name"]?["formatted_name"]?.stringValue
            let phones = card["phones"]?.arrayValue?.compactMap { $0["phone"]?.stringValue } ?? []
            let emails = card["emails"]?.arrayValue?.compactMap { $0["email"]?.stringValue } ?? []
            cards.append(InboundSharedContact(name: name, phones: phones, emails: emails))
        }
        return cards
    }

    private static func readMedia(_ media: inout WhatsAppFields) -> InboundMedia? {
        let id = media.requiredString("id")
        let mimeType = media.optionalString("mime_type")
        let sha256 = media.optionalString("sha256")
        let caption = media.optionalString("caption")
        let filename = media.optionalString("filename")
        return id.map { InboundMedia(id: $0, mimeType: mimeType, sha256: sha256, caption: caption, filename: filename) }
    }

    private static func readLocation(_ location: inout WhatsAppFields) -> InboundLocation? {
        let latitude = location.requiredNumber("latitude")
        let longitude = location.requiredNumber("longitude")
        let name = location.optionalString("name")
        let address = location.optionalString("address")
        guard let latitude, let longitude else { return nil }
        return InboundLocation(latitude: latitude, longitude: longitude, name: name, address: address)
    }

    /// `{"type": "button_reply", "button_reply": {"id", "title"}}`, `{"type": "list_reply", "list_reply": {"id",
    /// "title", "description"}}` or `{"type": "call_permission_reply", "call_permission_reply": {"response",
    /// "expiration_timestamp"}}`; other interactive answers (Flows' `nfm_reply`) keep only their type here.
    private static func readInteractive(_ interactive: inout WhatsAppFields) -> InboundInteractiveReply? {
        guard let typeName = interactive.requiredString("type") else { return nil }
        let kind = InboundInteractiveReply.Kind(rawValue: typeName)
        if case .other = kind { return InboundInteractiveReply(kind: kind) }
        if kind == .callPermissionReply {
            // `{"response": "accept"|"reject", "expiration_timestamp"?, "response_source"?}`
            var reply: InboundInteractiveReply?
            withObject(typeName, in: &interactive) { answer in
                let response = answer.requiredString("response")
                let expiresAt = answer.optionalUnixTime("expiration_timestamp")
                reply = response.map { InboundInteractiveReply(kind: kind, response: $0, expiresAt: expiresAt) }
            }
            return reply
        }
        var reply: InboundInteractiveReply?
        withObject(typeName, in: &interactive) { answer in
            let id = answer.requiredString("id")
            let title = answer.optionalString("title")
            let description = answer.optionalString("description")
            reply = id.map { InboundInteractiveReply(kind: kind, id: $0, title: title, description: description) }
        }
        return reply
    }
}
