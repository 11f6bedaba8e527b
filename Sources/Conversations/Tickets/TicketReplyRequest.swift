import GatewayKit
import Messaging
/// The body of an agent's reply, `POST /v1/tickets/{id}/messages`:
///
/// `{"text": "…"}` (free-form, only inside the customer's 24-hour window),
/// `{"template": {"name": "support_followup", "language"?: "ms", "parameters": ["Aisyah", "T-5"]}}` or
/// `{"media": {"type": "image", "link": "https://…", "caption"?, "filename"?}}` (inside the window too).
///
/// Shapes and types are checked here, every problem named at once; the Cloud API's limits (text length, template
/// name, language, parameter count) by ``WhatsAppSender``, which names the same fields.
public struct TicketReplyRequest: Sendable, Equatable {
    public let actor: String
    public let content: WhatsAppContent

    public init(actor: String, content: WhatsAppContent) {
        self.actor = actor
        self.content = content
    }

    /// Reads the body of a reply made by `actor` (the caller; the body's `actor`, if any, must be the same name).
    public static func parse(_ body: JSONValue, actor caller: String) -> Result<TicketReplyRequest, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["actor", "text", "template", "media"])
        let actor: String? = fields.actor(caller: caller)
        var content: WhatsAppContent?
        let given = ["text", "template", "media"].filter { object[$0] != nil }
        switch given {
        case ["text"]:
            content = fields.requiredString("text").map(WhatsAppContent.text)
        case ["template"]:
            content = fields.requiredObject("template").flatMap { WhatsAppSendRequest.template($0, into: &fields) }
        case ["media"]:
            content = fields.requiredObject("media").flatMap { WhatsAppSendRequest.media($0, into: &fields) }
        default:
            fields.fail(given.first ?? "text", "give exactly one of text, template, media")
        }
        guard fields.errors.isEmpty, let actor, let content else { return .failure(.validation(fields.errors)) }
        return .success(TicketReplyRequest(actor: actor, content: content))
    }
}
