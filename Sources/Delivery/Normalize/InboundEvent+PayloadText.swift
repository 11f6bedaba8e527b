import GatewayKit

extension InboundEvent {
    /// ``toJSON()`` as ``JSONWriter`` writes it, the same bytes: the kinds every delivery carries (messages, statuses,
    /// contacts) are written member by member, in their key order, without building the JSON tree; the others
    /// through it.
    public var payloadText: String {
        var object = JSONObjectWriter()
        switch self {
        case .message(let m), .echo(let m): m.members(kind: kind) { object.put($0, $1) }
        case .status(let s): s.members(kind: kind) { object.put($0, $1) }
        case .contact(let c): c.members(kind: kind) { object.put($0, $1) }
        default: return JSONWriter.string(toJSON())
        }
        return object.text()
    }
}

/// Takes one member of an event's stored payload: its key and value, nil (or `null`) when it is left out.
typealias EventMember = (String, JSONValue?) -> Void

extension Dictionary where Key == String, Value == JSONValue {
    /// The members `visit` gives, those without a value left out.
    init(members visit: (EventMember) -> Void) {
        self.init()
        visit { self.put($0, $1) }
    }
}

extension String? {
    /// The member's value, nil when absent.
    var json: JSONValue? { map(JSONValue.string) }
}
