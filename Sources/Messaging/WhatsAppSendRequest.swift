import GatewayKit
/// The body of `POST /v1/whatsapp/messages`, read into a ``WhatsAppSend``:
///
/// `{"to": "+60123456789" | "MY.1234567890", "purpose"?: "manual", "reference"?: string | integer}` plus exactly one of
/// - `"text": "…"`,
/// - `"template": {"name", "language"?, "parameters"?: ["…", …]}`,
/// - `"list": {"header"?, "body", "footer"?, "button", "rows": [{"id", "title", "description"?}]}` (one section)
///   or `"sections": [{"title"?, "rows": […]}]` instead of `rows`,
/// - `"media": {"type": "image|document|audio|video|sticker", "link": "https://…", "caption"?, "filename"?}`.
///
/// This checks shapes and types; the Cloud API's limits are checked by ``WhatsAppSender/enqueue(_:in:)``, which
/// names fields the same way.
public enum WhatsAppSendRequest {
    static let members: Set<String> = ["to", "text", "template", "list", "media", "purpose", "reference"]
    static let contentMembers = ["text", "template", "list", "media"]

    public static func parse(_ body: JSONValue, idempotencyKey: String,
                             traceparent: String?) -> Result<WhatsAppSend, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: members)
        var recipient: WhatsAppRecipient?
        if let to = fields.requiredString("to") {
            recipient = WhatsAppRecipient(parsing: to)
            if recipient == nil { fields.fail("to", "must be a phone number (+60123456789) or a BSUID (MY.1234567890)") }
        }
        let purpose = fields.optionalString("purpose") ?? "manual"
        let reference = fields.optionalIdentifier("reference")
        let given = contentMembers.filter { object[$0] != nil }
        var content: WhatsAppContent?
        if given.count != 1 {
            fields.fail(given.first ?? "text", "give exactly one of text, template, list, media")
        } else if given == ["text"] {
            content = fields.requiredString("text").map(WhatsAppContent.text)
        } else if given == ["template"] {
            content = fields.requiredObject("template").flatMap { template($0, into: &fields) }
        } else if given == ["media"] {
            content = fields.requiredObject("media").flatMap { media($0, into: &fields) }
        } else {
            content = fields.requiredObject("list").flatMap { list($0, into: &fields) }.map(WhatsAppContent.interactiveList)
        }
        guard fields.errors.isEmpty, let recipient, let content else { return .failure(.validation(fields.errors)) }
        return .success(WhatsAppSend(recipient: recipient, content: content, purpose: purpose, reference: reference,
                                     idempotencyKey: idempotencyKey, traceparent: traceparent))
    }

    /// `{"name", "language"?, "parameters"?}` under `template` (also the template of an agent's ticket reply).
    package static func template(_ object: [String: JSONValue],
                                 into problems: inout FieldValidator) -> WhatsAppContent? {
        var fields = FieldValidator(object, prefix: "template")
        defer { problems.merge(fields) }
        fields.rejectUnknownKeys(allowed: ["name", "language", "parameters"])
        let name = fields.requiredString("name")
        let language = fields.optionalString("language")
        let parameters = strings(fields.optionalArray("parameters") ?? [], path: "parameters", into: &fields)
        guard let name, let parameters else { return nil }
        return .template(name: name, language: language, parameters: parameters)
    }

    /// `{"type", "link", "caption"?, "filename"?}` under `media` (also the media of an agent's ticket reply). A type
    /// the Cloud API does not send is refused here; the link, caption and file name by the sender's checks.
    package static func media(_ object: [String: JSONValue],
                              into problems: inout FieldValidator) -> WhatsAppContent? {
        var fields = FieldValidator(object, prefix: "media")
        defer { problems.merge(fields) }
        fields.rejectUnknownKeys(allowed: ["type", "link", "caption", "filename"])
        var type: WhatsAppMediaType?
        if let name = fields.requiredString("type") {
            type = WhatsAppMediaType(rawValue: name)
            if type == nil { fields.fail("type", "must be one of \(WhatsAppMediaType.names)") }
        }
        let link = fields.requiredString("link")
        let (caption, filename) = (fields.optionalString("caption"), fields.optionalString("filename"))
        guard let type, let link, fields.errors.isEmpty else { return nil }
        return .media(WhatsAppOutboundMedia(type: type, link: link, caption: caption, filename: filename))
    }

    private static func list(_ object: [String: JSONValue],
                             into problems: inout FieldValidator) -> WhatsAppListMessage? {
        var fields = FieldValidator(object, prefix: "list")
        defer { problems.merge(fields) }
        fields.rejectUnknownKeys(allowed: ["header", "body", "footer", "button", "rows", "sections"])
        let (header, body, footer) = (fields.optionalString("header"), fields.requiredString("body"),
                                      fields.optionalString("footer"))
        let button = fields.requiredString("button")
        var sections: [WhatsAppListMessage.Section]?
        if (object["rows"] == nil) == (object["sections"] == nil) {
            fields.fail("rows", "give exactly one of rows, sections")
        } else if let rows = fields.optionalArray("rows") {
            sections = self.rows(rows, path: fields.path("rows"), into: &fields).map { [.init(rows: $0)] }
        } else if let entries = fields.optionalArray("sections") {
            sections = entries.enumerated().compactMap { index, entry in
                section(entry, path: fields.path("sections[\(index)]"), into: &fields)
            }
        }
        guard let body, let button, let sections, fields.errors.isEmpty else { return nil }
        return WhatsAppListMessage(header: header, body: body, footer: footer, button: button, sections: sections)
    }

    private static func section(_ value: JSONValue, path: String,
                                into problems: inout FieldValidator) -> WhatsAppListMessage.Section? {
        guard let object = value.objectValue else {
            problems.merge([FieldError(field: path, message: "must be an object")])
            return nil
        }
        var fields = FieldValidator(object, prefix: path)
        defer { problems.merge(fields) }
        fields.rejectUnknownKeys(allowed: ["title", "rows"])
        let title = fields.optionalString("title")
        return rows(fields.requiredArray("rows") ?? [], path: fields.path("rows"), into: &fields)
            .map { WhatsAppListMessage.Section(title: title, rows: $0) }
    }

    private static func rows(_ values: [JSONValue], path: String,
                             into problems: inout FieldValidator) -> [WhatsAppListMessage.Row]? {
        var rows: [WhatsAppListMessage.Row] = []
        for (index, value) in values.enumerated() {
            guard let object = value.objectValue else {
                problems.merge([FieldError(field: "\(path)[\(index)]", message: "must be an object")])
                continue
            }
            var fields = FieldValidator(object, prefix: "\(path)[\(index)]")
            fields.rejectUnknownKeys(allowed: ["id", "title", "description"])
            let (id, title, description) = (fields.requiredString("id"), fields.requiredString("title"),
                                            fields.optionalString("description"))
            problems.merge(fields)
            if let id, let title { rows.append(.init(id: id, title: title, description: description)) }
        }
        return rows.count == values.count ? rows : nil
    }

    /// An array of strings, failing each element that is not one.
    private static func strings(_ values: [JSONValue], path: String, into fields: inout FieldValidator) -> [String]? {
        var strings: [String] = []
        for (index, value) in values.enumerated() {
            guard let text = value.stringValue else {
                fields.fail("\(path)[\(index)]", "must be a string, got \(value.typeName)")
                continue
            }
            strings.append(text)
        }
        return strings.count == values.count ? strings : nil
    }
}
