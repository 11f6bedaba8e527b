import GatewayKit
/// The exact Cloud API request body (`POST /{phone_number_id}/messages`) of a send, checked against the API's limits
/// before anything is queued.
struct WhatsAppCloudRequest: Sendable, Equatable {
    let body: JSONValue
    /// For template sends: the template and the language actually used.
    let templateName: String?
    let language: String?

    /// - Throws: ``WhatsAppSendError`` naming every field the Cloud API would refuse.
    init(_ send: WhatsAppSend, catalog: WhatsAppTemplateCatalog) throws(WhatsAppSendError) {
        var problems = send.problems()
        var members: [String: JSONValue] = ["messaging_product": "whatsapp", "recipient_type": "individual",
                                            "type": .string(send.content.kind == "interactive_list" ? "interactive"
                                                                                                     : send.content.kind)]
        let (key, recipient) = send.recipient.requestField
        members[key] = recipient
        var template: (name: String, language: String)?
        switch send.content {
        case .text(let text):
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldError(field: "text", message: "must not be empty"))
            } else if text.count > WhatsAppContent.textLimit {
                problems.append(FieldError(field: "text", message: "must be at most \(WhatsAppContent.textLimit) characters"))
            }
            members["text"] = ["body": .string(text)]
        case .interactiveList(let list):
            problems += list.problems()
            members["interactive"] = list.cloudAPIObject
        case .template(let name, let requested, let values):
            guard problems.isEmpty else { throw .invalidFields(problems) }
            let resolved = try catalog.cloudAPIObject(name: name, language: requested, values: values)
            members["template"] = resolved.object
            template = (name, resolved.language)
        }
        guard problems.isEmpty else { throw .invalidFields(problems) }
        body = .object(members)
        templateName = template?.name
        language = template?.language
    }
}
