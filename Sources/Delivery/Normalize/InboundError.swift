import GatewayKit
/// An error as the source reports it: why an outbound message failed (or was only partly delivered), or why an inbound
/// message arrived without its content (WhatsApp sends `errors[]` instead of, say, the `interactive` object when it
/// could not deliver what the customer sent).
public struct InboundError: Sendable, Equatable {
    /// Source error code, e.g. WhatsApp `131047` (re-engagement window closed), `131051` (message type unknown).
    public var code: Int64?
    public var title: String?
    public var message: String?
    /// The longer explanation (WhatsApp `error_data.details`).
    public var details: String?

    public init(code: Int64? = nil, title: String? = nil, message: String? = nil, details: String? = nil) {
        self.code = code
        self.title = title
        self.message = message
        self.details = details
    }

    /// `{"code"?, "title"?, "message"?, "details"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = [:]
        o.put("code", code)
        o.put("title", title)
        o.put("message", message)
        o.put("details", details)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(code: try r.optionalInt64("code"), title: try r.optionalString("title"),
                  message: try r.optionalString("message"), details: try r.optionalString("details"))
    }
}

extension [InboundError] {
    /// `"errors": [...]` in a stored event, empty when absent.
    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self = []
        for reader in try r.objects("errors") { append(try InboundError(reading: reader)) }
    }

    /// The `errors` member of a stored event (or a document that shows one): omitted when there are none.
    public func put(in o: inout [String: JSONValue]) {
        o.put("errors", json)
    }

    /// The `errors` member's value, nil when there are none.
    var json: JSONValue? { isEmpty ? nil : .array(map { $0.toJSON() }) }
}
