import GatewayKit
import Messaging

/// The WhatsApp Cloud API's message format: the request body of a send (`POST /{phone_number_id}/messages`) and the
/// answers to it (``CloudAPIAnswer``).
public struct CloudAPIFormat: WhatsAppWireFormat {
    public init() {}

    public func requestBody(_ checked: CheckedWhatsAppSend) -> JSONValue {
        let send = checked.send
        var members: [String: JSONValue] = [
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "type": .string(Self.type(of: send.content)),
        ]
        switch send.recipient {
        case .phone(let digits): members["to"] = .string(digits)
        case .bsuid(let bsuid): members["recipient"] = .string(bsuid)
        }
        switch send.content {
        case .text(let text):
            members["text"] = ["body": .string(text)]
        case .interactiveList(let list):
            members["interactive"] = Self.interactive(list)
        case .media(let media):
            members[media.type.rawValue] = Self.media(media)
        case .template(_, _, let values):
            if let template = checked.template, let language = checked.language {
                members["template"] = Self.template(template, language: language, values: values)
            }
        }
        return .object(members)
    }

    public func messageID(inAnswer body: [UInt8]) -> String? { CloudAPIAnswer.messageID(body) }

    public func error(inAnswer body: [UInt8]) -> WhatsAppMessageError? { CloudAPIAnswer.error(body) }

    public func failureReason(code: Int64) -> String? { CloudAPIErrorReasons.byCode[code] }

    /// The message `type`: the media's own kind for media, `interactive` for lists.
    static func type(of content: WhatsAppContent) -> String {
        switch content {
        case .interactiveList: "interactive"
        case .media(let media): media.type.rawValue
        case .text, .template: content.kind
        }
    }

    /// The object under a media message's type (`"image": {"link", "caption"?}`, documents with `filename`).
    static func media(_ media: WhatsAppOutboundMedia) -> JSONValue {
        var object: [String: JSONValue] = ["link": .string(media.link)]
        object.put("caption", media.caption)
        object.put("filename", media.filename)
        return .object(object)
    }

    /// The `template` object: name, `language.code`, body parameters `{type: text, text}` and one `button` component
    /// per quick reply with its filled payload.
    static func template(_ template: WhatsAppTemplate, language: String, values: [String]) -> JSONValue {
        var components: [JSONValue] = []
        if !values.isEmpty {
            components.append(["type": "body",
                               "parameters": .array(values.map { ["type": "text", "text": .string($0)] })])
        }
        for (index, payload) in template.quickReplyPayloads.enumerated() {
            components.append(["type": "button", "sub_type": "quick_reply", "index": .string(String(index)),
                               "parameters": [["type": "payload",
                                               "payload": .string(TemplatePlaceholders.fill(payload, with: values))]]])
        }
        var object: [String: JSONValue] = ["name": .string(template.name), "language": ["code": .string(language)]]
        if !components.isEmpty { object["components"] = .array(components) }
        return .object(object)
    }

    /// The `interactive` object of a list message (`type: list`).
    static func interactive(_ list: WhatsAppListMessage) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": "list", "body": ["text": .string(list.body)],
            "action": ["button": .string(list.button), "sections": .array(list.sections.map { section in
                var members: [String: JSONValue] = ["rows": .array(section.rows.map { row in
                    var members: [String: JSONValue] = ["id": .string(row.id), "title": .string(row.title)]
                    members.put("description", row.description)
                    return .object(members)
                })]
                members.put("title", section.title)
                return .object(members)
            })],
        ]
        if let header = list.header { object["header"] = ["type": "text", "text": .string(header)] }
        if let footer = list.footer { object["footer"] = ["text": .string(footer)] }
        return .object(object)
    }
}

extension WhatsAppSender {
    /// A sender writing Cloud API request bodies.
    public init(catalog: WhatsAppTemplateCatalog, phoneNumberID: String?, clock: @escaping @Sendable () -> Int64) {
        self.init(catalog: catalog, format: CloudAPIFormat(), phoneNumberID: phoneNumberID, clock: clock)
    }
}
