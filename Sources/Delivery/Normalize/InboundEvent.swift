import GatewayKit
/// A source-independent domain event found in an inbound delivery. Normalizers store ``toJSON()`` as the inbox item
/// payload; the workers that apply items (identity resolution, tickets, CSAT) read it back with ``init(json:)``.
///
/// Payload envelope: a JSON object with `"kind"` (``kind``) plus the fields of the event, flat:
/// - `message`: see ``InboundMessage``; `status`: see ``InboundStatus``; `contact`: see ``InboundContact``;
///   `identity_change`: see ``InboundIdentityChange``; `preference`: see ``InboundPreference``; `template_update`:
///   see ``InboundTemplateUpdate``; `account_update`: see ``InboundAccountUpdate``; `echo`: see ``echo(_:)``;
///   `call`: see ``InboundCall``.
///
/// Absent optionals are omitted. `init(json: event.toJSON()) == event` for every event, also after the JSON went
/// through ``JSONWriter`` and ``JSONParser``.
///
/// Indirect: an event is passed along and copied several times on its way from a delivery to the steps (found, made
/// an item, prepared, applied), and a copy of a boxed event is one reference, where a message's own fields are
/// some twenty.
public indirect enum InboundEvent: Sendable, Equatable {
    case message(InboundMessage)
    case status(InboundStatus)
    case contact(InboundContact)
    case identityChange(InboundIdentityChange)
    case preference(InboundPreference)
    case templateUpdate(InboundTemplateUpdate)
    case accountUpdate(InboundAccountUpdate)
    /// A message a person sent the customer from outside the gateway (the WhatsApp Business app on the same number),
    /// echoed by the source. Stored like a ``message(_:)``, but its sender fields name the customer it went **to**.
    case echo(InboundMessage)
    case call(InboundCall)

    /// The event's kind name, also used as the inbox item kind.
    public var kind: String {
        switch self {
        case .message: return "message"
        case .status: return "status"
        case .contact: return "contact"
        case .identityChange: return "identity_change"
        case .preference: return "preference"
        case .templateUpdate: return "template_update"
        case .accountUpdate: return "account_update"
        case .echo: return "echo"
        case .call: return "call"
        }
    }

    /// Every kind name ``init(json:)`` understands.
    public static let kinds = ["message", "status", "contact", "identity_change", "preference", "template_update",
                               "account_update", "echo", "call"]

    /// When the source says the event happened (unix seconds); contacts carry no time of their own, template and
    /// account updates only when the delivery's entry does.
    public var occurredAt: Int64? {
        switch self {
        case .message(let m): return m.timestamp
        case .status(let s): return s.timestamp
        case .contact: return nil
        case .identityChange(let c): return c.timestamp
        case .preference(let p): return p.timestamp
        case .templateUpdate(let t): return t.timestamp
        case .accountUpdate(let a): return a.timestamp
        case .echo(let m): return m.timestamp
        case .call(let c): return c.timestamp
        }
    }

    public func toJSON() -> JSONValue {
        var fields: [String: JSONValue]
        switch self {
        case .message(let m): fields = m.jsonFields()
        case .status(let s): fields = s.jsonFields()
        case .contact(let c): fields = c.jsonFields()
        case .identityChange(let c): fields = c.jsonFields()
        case .preference(let p): fields = p.jsonFields()
        case .templateUpdate(let t): fields = t.jsonFields()
        case .accountUpdate(let a): fields = a.jsonFields()
        case .echo(let m): fields = m.jsonFields()
        case .call(let c): fields = c.jsonFields()
        }
        fields["kind"] = .string(kind)
        return .object(fields)
    }

    /// Reads a payload written by ``toJSON()``; throws ``InboundEventDecodingError`` naming the field at fault.
    public init(json: JSONValue) throws {
        let reader = try EventJSONReader(json)
        let kind = try reader.string("kind")
        switch kind {
        case "message": self = .message(try InboundMessage(reading: reader))
        case "status": self = .status(try InboundStatus(reading: reader))
        case "contact": self = .contact(try InboundContact(reading: reader))
        case "identity_change": self = .identityChange(try InboundIdentityChange(reading: reader))
        case "preference": self = .preference(try InboundPreference(reading: reader))
        case "template_update": self = .templateUpdate(try InboundTemplateUpdate(reading: reader))
        case "account_update": self = .accountUpdate(try InboundAccountUpdate(reading: reader))
        case "echo": self = .echo(try InboundMessage(reading: reader))
        case "call": self = .call(try InboundCall(reading: reader))
        default:
            throw InboundEventDecodingError(
                path: "kind", message: "must be one of \(InboundEvent.kinds.joined(separator: ", ")), got \(kind)")
        }
    }
}
