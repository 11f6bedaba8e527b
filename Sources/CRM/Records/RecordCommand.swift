import GatewayKit
/// A validated create, update or delete of a deal or ticket, from a bot/agent webhook or the REST API.
public struct RecordCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case create
        case update(RecordReference)
        case delete(RecordReference)

        /// The action without its record id, as a command type names it before the id is read. The raw value is
        /// the past tense used in command types, events and logs (`deal.created`).
        public enum Name: String, Sendable, CaseIterable {
            case create = "created"
            case update = "updated"
            case delete = "deleted"
        }

        public var name: Name {
            switch self {
            case .create: return .create
            case .update: return .update
            case .delete: return .delete
            }
        }
    }

    public let kind: RecordKind
    public let action: Action
    public let input: RecordInput
    public let origin: CommandOrigin
    /// The inbound request's W3C traceparent, carried to the Omnichannel events it causes.
    public let traceparent: String?
    /// Where the payload sits in the request body (`data` for webhooks, "" for the REST API), so errors found
    /// against stored state name the field the way validation errors do.
    public let payloadPath: String

    public init(kind: RecordKind, action: Action, input: RecordInput, origin: CommandOrigin,
                traceparent: String? = nil, payloadPath: String = "") {
        self.kind = kind
        self.action = action
        self.input = input
        self.origin = origin
        self.traceparent = traceparent
        self.payloadPath = payloadPath
    }
}

/// The payload of a record command after validation.
public struct RecordInput: Sendable, Equatable {
    /// The kind's fields present in the payload, by name. `.null` clears an optional field on update. References are
    /// normalized to strings, amounts to numbers.
    public var fields: [String: JSONValue]
    public var roomID: String?
    public var contactID: String?
    /// As sent: `bot`, `agentic_ai`, or anything else (default creator behaviour).
    public var creatorFlag: String?
    public var source: String?

    public init(fields: [String: JSONValue] = [:], roomID: String? = nil, contactID: String? = nil,
                creatorFlag: String? = nil, source: String? = nil) {
        self.fields = fields
        self.roomID = roomID
        self.contactID = contactID
        self.creatorFlag = creatorFlag
        self.source = source
    }
}
