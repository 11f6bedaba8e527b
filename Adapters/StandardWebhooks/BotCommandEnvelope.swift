import CRM
import GatewayKit

/// Reads and validates the command envelope that chatbots and agentic-AI agents post. Every problem is reported with
/// the JSON path of the field at fault so the sender can fix all of them at once.
public enum BotCommandEnvelope {
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
        var read: (RecordCommand.Action, RecordInput)?
        if let type, let data {
            switch RecordCommandReader.read(kind: type.kind, action: type.action, data: data, prefix: "data",
                                            id: .payload) {
            case .success(let result): read = result
            case .failure(.validation(let errors)): fields.merge(errors)
            case .failure(let error): return .failure(error)
            }
        }
        guard fields.errors.isEmpty, let type, let data, let read else { return .failure(.validation(fields.errors)) }
        return .success(BotCommand(type: type, data: data, action: read.0, input: read.1))
    }
}
