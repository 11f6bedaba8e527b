/// Writes one JSON object member by member straight into bytes, as ``JSONWriter`` writes the same object built as a
/// ``JSONValue``: for a caller that knows its members without building a dictionary of them. The caller gives the
/// members in ``JSONWriter``'s order (keys sorted by their bytes), each key plain ASCII needing no escape.
public struct JSONObjectWriter {
    private var out: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        out = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Starts member `key`; its value must be written next (``value(_:)``).
    public mutating func key(_ key: StaticString) {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: "\":".utf8)
    }

    public mutating func value(_ value: JSONValue) { JSONWriter.write(value, into: &out) }

    /// The member when there is a value, as `Dictionary.put` leaves it out when there is none.
    public mutating func put(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        self.value(.string(value))
    }

    public mutating func put(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        self.value(.integer(value))
    }

    public mutating func put(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        self.value(.bool(value))
    }

    public mutating func put(_ key: StaticString, _ value: JSONValue?) {
        guard let value, !value.isNull else { return }
        self.key(key)
        self.value(value)
    }

    /// The object's text, closed.
    public mutating func text() -> String {
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
