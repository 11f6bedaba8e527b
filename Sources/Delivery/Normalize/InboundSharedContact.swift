import GatewayKit
/// A contact card the customer shared (WhatsApp type `contacts`): who, and how to reach them.
public struct InboundSharedContact: Sendable, Equatable {
    /// The name as the card shows it (`name.formatted_name`).
    public var name: String?
    /// Phone numbers as written on the card.
    public var phones: [String]
    public var emails: [String]

    public init(name: String? = nil, phones: [String] = [], emails: [String] = []) {
        (self.name, self.phones, self.emails) = (name, phones, emails)
    }

    /// `{"name"?, "phones": [...], "emails": [...]}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["phones": .array(phones.map(JSONValue.string)),
                                      "emails": .array(emails.map(JSONValue.string))]
        o.put("name", name)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(name: try r.optionalString("name"), phones: try r.strings("phones"), emails: try r.strings("emails"))
    }
}
