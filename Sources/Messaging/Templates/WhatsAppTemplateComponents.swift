import GatewayKit
/// Reads the `components` of one language of a template file (see ``WhatsAppTemplateFile``), with Meta's limits.
enum WhatsAppTemplateComponents {
    static let types = ["HEADER", "BODY", "FOOTER", "BUTTONS"]
    static let bodyLimit = 1024
    static let headerFooterLimit = 60
    static let buttonTextLimit = 25
    static let maxButtons = 10

    /// - Parameters:
    ///   - object: the language's object (nil when it was not one; that was reported already).
    ///   - parameters: how many `{{n}}` the body must use.
    ///   - payloads: how many quick-reply buttons there must be.
    ///   - problems: where problems are added; nil is returned when there were any.
    static func parse(_ object: [String: JSONValue]?, path: String, parameters: Int, payloads: Int,
                      into problems: inout FieldValidator) -> WhatsAppTemplateText? {
        guard let object else { return nil }
        var fields = FieldValidator(object, prefix: path)
        defer { problems.merge(fields) }
        fields.rejectUnknownKeys(allowed: ["components"])
        var texts: [String: String] = [:]
        var quickReplies: [String]?
        for (index, element) in (fields.requiredArray("components") ?? []).enumerated() {
            guard let component = element.objectValue else {
                fields.fail("components[\(index)]", "must be an object")
                continue
            }
            var entry = FieldValidator(component, prefix: fields.path("components[\(index)]"))
            defer { fields.merge(entry) }
            guard let type = entry.requiredString("type") else { continue }
            guard types.contains(type) else {
                entry.fail("type", "is not a known component (\(types.joined(separator: ", ")))")
                continue
            }
            guard texts[type] == nil, type != "BUTTONS" || quickReplies == nil else {
                entry.fail("type", "\(type) appears more than once")
                continue
            }
            if type == "BUTTONS" {
                quickReplies = buttons(payloads: payloads, in: &entry)
            } else if let text = text(type: type, parameters: parameters, in: &entry) {
                texts[type] = text
            }
        }
        if texts["BODY"] == nil, fields.errors.isEmpty {
            fields.fail("components", "needs a BODY component")
        }
        if quickReplies == nil, payloads > 0 {
            fields.fail("components", "needs a BUTTONS component with \(payloads) quick replies (quick_reply_payloads)")
        }
        guard fields.errors.isEmpty, let body = texts["BODY"] else { return nil }
        return WhatsAppTemplateText(header: texts["HEADER"], body: body, footer: texts["FOOTER"],
                                    quickReplies: quickReplies ?? [])
    }

    /// HEADER (text format only), BODY or FOOTER text; only BODY takes parameters.
    private static func text(type: String, parameters: Int, in entry: inout FieldValidator) -> String? {
        entry.rejectUnknownKeys(allowed: type == "HEADER" ? ["type", "format", "text"] : ["type", "text"])
        if type == "HEADER", let format = entry.optionalString("format"), format != "TEXT" {
            entry.fail("format", "only TEXT headers are supported")
        }
        guard let text = entry.requiredString("text") else { return nil }
        let limit = type == "BODY" ? bodyLimit : headerFooterLimit
        if text.count > limit { entry.fail("text", "is longer than \(limit) characters") }
        if type == "BODY" {
            WhatsAppTemplateFile.checkPlaceholders(text, declared: parameters, exact: true, field: "text", in: &entry)
        } else {
            noPlaceholders(text, field: "text", in: &entry)
        }
        return text
    }

    /// The quick-reply labels of a BUTTONS component: 1–10, as many as there are payloads.
    private static func buttons(payloads: Int, in entry: inout FieldValidator) -> [String] {
        entry.rejectUnknownKeys(allowed: ["type", "buttons"])
        let list = entry.requiredArray("buttons") ?? []
        guard (1...maxButtons).contains(list.count) else {
            entry.fail("buttons", "must hold 1 to \(maxButtons) buttons")
            return []
        }
        var labels: [String] = []
        for (index, element) in list.enumerated() {
            guard let button = element.objectValue else {
                entry.fail("buttons[\(index)]", "must be an object")
                continue
            }
            var fields = FieldValidator(button, prefix: entry.path("buttons[\(index)]"))
            fields.rejectUnknownKeys(allowed: ["type", "text"])
            if let type = fields.requiredString("type"), type != "QUICK_REPLY" {
                fields.fail("type", "only QUICK_REPLY buttons are supported")
            }
            if let text = fields.requiredString("text") {
                if text.count > buttonTextLimit { fields.fail("text", "is longer than \(buttonTextLimit) characters") }
                noPlaceholders(text, field: "text", in: &fields)
                labels.append(text)
            }
            entry.merge(fields)
        }
        if labels.count != payloads {
            entry.fail("buttons", "has \(list.count) quick replies but quick_reply_payloads has \(payloads)")
        }
        return labels
    }

    private static func noPlaceholders(_ text: String, field: String, in fields: inout FieldValidator) {
        if text.contains("{{") { fields.fail(field, "may not hold parameters (only BODY takes {{n}})") }
    }
}
