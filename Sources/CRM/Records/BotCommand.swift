import GatewayKit
/// The command types a chatbot or agentic-AI sender may post (`POST /webhooks/chatbot|agent`).
public enum BotCommandType: String, Sendable, CaseIterable {
    case dealCreated = "deal.created"
    case dealUpdated = "deal.updated"
    case dealDeleted = "deal.deleted"
    case ticketCreated = "ticket.created"
    case ticketUpdated = "ticket.updated"
    case ticketDeleted = "ticket.deleted"

    public var kind: RecordKind {
        switch self {
        case .dealCreated, .dealUpdated, .dealDeleted: return .deal
        case .ticketCreated, .ticketUpdated, .ticketDeleted: return .ticket
        }
    }

    public var action: RecordCommand.Action.Name {
        switch self {
        case .dealCreated, .ticketCreated: return .create
        case .dealUpdated, .ticketUpdated: return .update
        case .dealDeleted, .ticketDeleted: return .delete
        }
    }
}

/// A validated command envelope from a bot or agent webhook: `{"type": ..., "data": {...}}`, with `data` already read
/// into the record command's action and input.
public struct BotCommand: Sendable, Equatable {
    public let type: BotCommandType
    public let data: [String: JSONValue]
    public let action: RecordCommand.Action
    public let input: RecordInput

    public init(type: BotCommandType, data: [String: JSONValue], action: RecordCommand.Action, input: RecordInput) {
        self.type = type
        self.data = data
        self.action = action
        self.input = input
    }

    public var json: JSONValue { ["type": .string(type.rawValue), "data": .object(data)] }

    /// The command to apply; `traceparent` is the webhook request's.
    public func recordCommand(origin: CommandOrigin, traceparent: String?) -> RecordCommand {
        RecordCommand(kind: type.kind, action: action, input: input, origin: origin, traceparent: traceparent,
                      payloadPath: "data")
    }
}
