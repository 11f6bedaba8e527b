import GatewayCore

/// Reads and validates the command envelope that chatbots and agentic-AI agents post. Every problem is reported with
/// the JSON path of the field at fault so the sender can fix all of them at once.
public enum BotCommandEnvelope {
    /// Creator labels the seed defines; anything else falls back to default behaviour (kept as given).
    public static let knownCreatorFlags = ["bot", "agentic_ai"]

    public static func parse(_ json: JSONValue) -> Result<BotCommand, GatewayError> {
        guard case .object(let root) = json else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(json.typeName)")]))
        }
        var fields = FieldValidator(root)
        let typeName = fields.requiredString("type")
        var type: BotCommandType?
        if let typeName {
            type = BotCommandType(rawValue: typeName)
            if type == nil {
                fields.fail("type", "must be one of \(BotCommandType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let data = fields.requiredObject("data")
        if let type, let data {
            fields.merge(validateData(data, for: type))
        }
        guard fields.errors.isEmpty, let type, let data else { return .failure(.validation(fields.errors)) }
        return .success(BotCommand(type: type, data: data))
    }

    /// Field checks shared by deals and tickets; record-specific rules arrive with the command handlers.
    private static func validateData(_ data: [String: JSONValue], for type: BotCommandType) -> FieldValidator {
        var fields = FieldValidator(data, prefix: "data")
        switch type.action {
        case "created":
            _ = fields.requiredString("name")
            _ = fields.optionalIdentifier("id")
        default:
            _ = fields.requiredIdentifier("id")
            _ = fields.optionalString("name")
        }
        _ = fields.optionalString("room_id")
        _ = fields.optionalIdentifier("contact_id")
        _ = fields.optionalString("creator_flag")
        _ = fields.optionalString("source")
        for key in ["pipeline", "stage", "owner", "priority", "status", "assignee", "reporter", "approval_status",
                    "due_at"] {
            _ = fields.optionalIdentifier(key)
        }
        _ = fields.optionalNumber("size")
        return fields
    }
}
