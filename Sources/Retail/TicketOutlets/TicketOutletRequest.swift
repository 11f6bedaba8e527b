import Conversations
import GatewayKit
/// An agent's `POST /v1/tickets/{id}/outlet {"oid", "actor"}`: which outlet the ticket is about. Every problem of a
/// body is reported at once, by field: unknown fields, missing or mistyped ones, an OID that breaks the POS id rule,
/// an empty, over-long or control-character actor.
public struct TicketOutletRequest: Sendable, Equatable {
    public let oid: String
    public let actor: String

    public static func read(_ body: JSONValue) -> Result<TicketOutletRequest, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["oid", "actor"])
        let oid = fields.requiredString("oid").flatMap { text -> String? in
            guard OutletFieldRules.id(text) == text else {
                fields.fail("oid", OutletFieldRules.idRule)
                return nil
            }
            return text
        }
        if object["actor"] == nil || object["actor"] == .null { fields.fail("actor", "is required") }
        let actor = fields.boundedString("actor", maxLength: TicketWorkflowRequest.maxActorLength)
        guard fields.errors.isEmpty, let oid, let actor else { return .failure(.validation(fields.errors)) }
        return .success(TicketOutletRequest(oid: oid, actor: actor))
    }
}
