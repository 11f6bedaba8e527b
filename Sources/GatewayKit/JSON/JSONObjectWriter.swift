/// Writes one JSON object member by member straight into bytes, as ``JSONWriter`` writes the same object built as a
/// ``JSONValue``: for a caller that knows its members without building a dictionary of them. The caller gives the
/// members in ``JSONWriter``'s order (keys sorted), each key plain ASCII needing no escape.
public struct JSONObjectWriter {
    private var out: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        out = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Member `key` when there is a value, left out as `Dictionary.put` leaves out nil and `null`.
    public mutating func put(_ key: String, _ value: JSONValue?) {
        guard let value, !value.isNull else { return }
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: "\":".utf8)
        JSONWriter.write(value, into: &out)
    }

    /// The object's text, closed.
    public mutating func text() -> String {
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
