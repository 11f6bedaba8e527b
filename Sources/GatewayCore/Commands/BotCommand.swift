/// The command types a chatbot or agentic-AI sender may post (CONTRACT.md, `POST /webhooks/chatbot|agent`).
public enum BotCommandType: String, Sendable, CaseIterable {
    case dealCreated = "deal.created"
    case dealUpdated = "deal.updated"
    case dealDeleted = "deal.deleted"
    case ticketCreated = "ticket.created"
    case ticketUpdated = "ticket.updated"
    case ticketDeleted = "ticket.deleted"

    /// `deal` or `ticket`.
    public var recordKind: String { String(rawValue.prefix { $0 != "." }) }
    /// `created`, `updated` or `deleted`.
    public var action: String { String(rawValue.drop { $0 != "." }.dropFirst()) }
}

/// A validated command envelope from a bot or agent webhook: `{"type": ..., "data": {...}}`.
public struct BotCommand: Sendable, Equatable {
    public let type: BotCommandType
    public let data: [String: JSONValue]

    public init(type: BotCommandType, data: [String: JSONValue]) {
        self.type = type
        self.data = data
    }

    public var json: JSONValue { ["type": .string(type.rawValue), "data": .object(data)] }
}
