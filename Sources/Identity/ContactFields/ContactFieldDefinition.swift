import GatewayKit

/// A contact field: `{"key", "label", "type", "options"?, "built_in", "minimum"?, "maximum"?}`. Built-in fields (the
/// default customer fields every organisation has, and the per-customer metrics only an outside system knows) come
/// with the store and cannot be redefined; the organisation adds its own. A number field may bound its values.
public struct ContactFieldDefinition: Sendable, Equatable {
    public let key: String
    public let label: String
    public let type: ContactFieldType
    public let options: [String]
    public let builtIn: Bool
    /// The smallest and largest number a number field accepts, when it has bounds (counts, amounts, percentages).
    public let minimum: Double?
    public let maximum: Double?

    public init(key: String, label: String, type: ContactFieldType, options: [String] = [], builtIn: Bool = false,
                minimum: Double? = nil, maximum: Double? = nil) {
        self.key = key
        self.label = label
        self.type = type
        self.options = options
        self.builtIn = builtIn
        self.minimum = minimum
        self.maximum = maximum
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["key": .string(key), "label": .string(label), "type": .string(type.rawValue),
                                           "built_in": .bool(builtIn)]
        if type.hasOptions { object["options"] = .array(options.map(JSONValue.string)) }
        if let minimum { object["minimum"] = .number(minimum) }
        if let maximum { object["maximum"] = .number(maximum) }
        return .object(object)
    }

    /// The stored values of `value` for this field: its type's check, then the field's bounds.
    /// - Throws: ``ContactFieldType/Mismatch`` saying why it does not fit.
    public func values(of value: JSONValue) throws(ContactFieldType.Mismatch) -> [String] {
        let values = try type.values(of: value, options: options)
        guard type == .number, let number = value.doubleValue else { return values }
        let range: String
        switch (minimum, maximum) {
        case let (low?, high?) where number < low || number > high:
            range = "from \(ContactFieldType.text(of: low)) to \(ContactFieldType.text(of: high))"
        case let (low?, nil) where number < low: range = "of at least \(ContactFieldType.text(of: low))"
        case let (nil, high?) where number > high: range = "of at most \(ContactFieldType.text(of: high))"
        default: return values
        }
        throw ContactFieldType.Mismatch(message: "must be a number \(range)")
    }
}
