import GatewayKit
/// A WhatsApp message template as the gateway knows it (loaded from `Templates/whatsapp/<name>.json`): what the
/// Cloud API needs to send it — its name, numbered body parameters and quick-reply payloads — and, per language, the
/// approved text (for listing and review; Meta renders the message from its own copy).
public struct WhatsAppTemplate: Sendable, Equatable {
    /// Meta's categories (they decide pricing and what may be sent outside the 24-hour window).
    public static let categories = ["UTILITY", "MARKETING", "AUTHENTICATION"]
    /// The category a customer's stop of marketing messages applies to.
    public static let marketing = "MARKETING"

    public let name: String
    public let category: String
    /// What `{{1}}`, `{{2}}`, ... stand for, in order; a send must give exactly this many values.
    public let parameters: [String]
    /// Payload of the n-th quick-reply button, with `{{n}}` filled from the parameters at send time (e.g.
    /// `csat:{{2}}:1`): what comes back in the button-reply webhook.
    public let quickReplyPayloads: [String]
    /// By language code (`en`, `ms`).
    public let languages: [String: WhatsAppTemplateText]

    public init(name: String, category: String, parameters: [String], quickReplyPayloads: [String],
                languages: [String: WhatsAppTemplateText]) {
        self.name = name
        self.category = category
        self.parameters = parameters
        self.quickReplyPayloads = quickReplyPayloads
        self.languages = languages
    }

    /// The listing form (`GET /v1/templates`).
    public var json: JSONValue {
        ["name": .string(name), "category": .string(category), "parameters": .array(parameters.map(JSONValue.string)),
         "quick_reply_payloads": .array(quickReplyPayloads.map(JSONValue.string)),
         "languages": .object(languages.mapValues(\.json))]
    }
}

/// One language's approved text of a template.
public struct WhatsAppTemplateText: Sendable, Equatable {
    public let header: String?
    public let body: String
    public let footer: String?
    /// Quick-reply button labels, in button order.
    public let quickReplies: [String]

    public init(header: String?, body: String, footer: String?, quickReplies: [String]) {
        self.header = header
        self.body = body
        self.footer = footer
        self.quickReplies = quickReplies
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["body": .string(body),
                                           "quick_replies": .array(quickReplies.map(JSONValue.string))]
        object.put("header", header)
        object.put("footer", footer)
        return .object(object)
    }
}
