import GatewayKit
/// A validated agent request on `/v1/tickets/{id}/<action>`. Every problem of a body is reported at once, by field:
/// unknown fields, missing or mistyped ones, empty or over-long strings, control characters, unknown statuses.
public enum TicketWorkflowRequest: Sendable, Equatable {
    /// `POST …/status {"status", "outcome"?}`
    case status(TicketStatus, outcome: String?, actor: String)
    /// `POST …/assignment {"assignee": string|null}`, `…/category {"category"}`, `…/outcome {"outcome"}`;
    /// null clears the field, so the key itself is required.
    case field(TicketWorkflowField, value: String?, actor: String)
    /// `POST …/notes {"text"}`
    case note(text: String, actor: String)

    /// The path segment after `/v1/tickets/{id}/` of each request.
    public enum Action: String, Sendable, CaseIterable {
        case status, assignment, category, outcome, notes
    }

    public static let maxActorLength = 128
    public static let maxValueLength = 128

    /// Reads the JSON body of `action` made by `actor` (the caller, from its credential; the body's `actor`, if any,
    /// must be the same name).
    public static func read(_ action: Action, body: JSONValue,
                            actor caller: String) -> Result<TicketWorkflowRequest, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        let allowed: Set<String>
        switch action {
        case .status: allowed = ["status", "outcome", "actor"]
        case .assignment: allowed = ["assignee", "actor"]
        case .category: allowed = ["category", "actor"]
        case .outcome: allowed = ["outcome", "actor"]
        case .notes: allowed = ["text", "actor"]
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            fields.fail(key, "is not a field of this request (\(allowed.sorted().joined(separator: ", ")))")
        }
        let actor: String? = fields.actor(caller: caller)
        let request: TicketWorkflowRequest?
        switch action {
        case .status:
            let status = fields.requiredString("status").flatMap { name -> TicketStatus? in
                guard let status = TicketStatus(rawValue: name) else {
                    fields.fail("status", "must be one of \(TicketStatus.names.joined(separator: ", "))")
                    return nil
                }
                return status
            }
            let outcome = fields.boundedString("outcome", maxLength: maxValueLength)
            request = status.flatMap { status in actor.map { .status(status, outcome: outcome, actor: $0) } }
        case .assignment, .category, .outcome:
            let field = TicketWorkflowField(action)
            if object[field.rawValue] == nil { fields.fail(field.rawValue, "is required (null clears it)") }
            let value = fields.boundedString(field.rawValue, maxLength: maxValueLength)
            request = actor.map { .field(field, value: value, actor: $0) }
        case .notes:
            let text = fields.requiredString("text")
            if let text, text.count > TicketNotes.maxLength {
                fields.fail("text", "must be at most \(TicketNotes.maxLength) characters")
            }
            request = text.flatMap { text in actor.map { .note(text: text, actor: $0) } }
        }
        guard fields.errors.isEmpty, let request else { return .failure(.validation(fields.errors)) }
        return .success(request)
    }
}

extension TicketWorkflowField {
    /// The field an assignment, category or outcome request sets.
    init(_ action: TicketWorkflowRequest.Action) {
        switch action {
        case .assignment: self = .assignee
        case .category: self = .category
        default: self = .outcome
        }
    }
}
