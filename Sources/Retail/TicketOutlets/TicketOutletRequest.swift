import GatewayKit
/// An agent's `POST /v1/tickets/{id}/outlet {"oid"}`: which outlet the ticket is about. Every problem of a body is
/// reported at once, by field: unknown fields, missing or mistyped ones, an OID that breaks the POS id rule, an
/// `actor` that is not the caller.
public struct TicketOutletRequest: Sendable, Equatable {
    public let oid: String
    public let actor: String

    /// Reads the body of a link made by `actor` (the caller; the body's `actor`, if any, must be the same name).
    public static func read(_ body: JSONValue, actor caller: String) -> Result<TicketOutletRequest, GatewayError> {
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
        let actor = fields.actor(caller: caller)
        guard fields.errors.isEmpty, let oid else { return .failure(.validation(fields.errors)) }
        return .success(TicketOutletRequest(oid: oid, actor: actor))
    }
}
