extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` only when there is a value, so stored payloads carry no `null` noise and absent stays absent.
    public mutating func put(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }

    public mutating func put(_ key: String, _ value: Int64?) {
        if let value { self[key] = .integer(value) }
    }

    public mutating func put(_ key: String, _ value: Bool?) {
        if let value { self[key] = .bool(value) }
    }

    public mutating func put(_ key: String, _ value: JSONValue?) {
        if let value, !value.isNull { self[key] = value }
    }
}
