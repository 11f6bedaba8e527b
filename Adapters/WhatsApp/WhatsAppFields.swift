import GatewayKit

/// Reads the fields of one WhatsApp JSON object, collecting every problem with its JSON path. Wraps
/// ``FieldValidator`` and adds the value shapes Meta uses that it has no word for: unix times sent as digit strings,
/// numeric error codes, optional nested objects, and ids that must not be empty when present.
struct WhatsAppFields {
    private var validator: FieldValidator
    private let object: [String: JSONValue]

    /// `prefix` is the JSON path of `object` inside the delivery, e.g. `entry[0].changes[0].value.messages[1]`.
    init(_ object: [String: JSONValue], prefix: String) {
        self.object = object
        self.validator = FieldValidator(object, prefix: prefix)
    }

    var errors: [FieldError] { validator.errors }

    func path(_ key: String) -> String { validator.path(key) }

    /// The member as given, nil when absent or `null`.
    func member(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    mutating func fail(_ key: String, _ message: String) { validator.fail(key, message) }

    mutating func merge(_ other: WhatsAppFields) {
        validator.merge(other.validator)
    }

    mutating func requiredString(_ key: String) -> String? { validator.requiredString(key) }

    mutating func optionalString(_ key: String) -> String? { validator.optionalString(key) }

    mutating func optionalArray(_ key: String) -> [JSONValue]? { validator.optionalArray(key) }

    mutating func requiredArray(_ key: String) -> [JSONValue]? { validator.requiredArray(key) }

    /// An id Meta may send as a string or a number (`entry[].id`, `phone_number_id`), returned as text.
    mutating func requiredIdentifier(_ key: String) -> String? { validator.requiredIdentifier(key) }

    mutating func requiredObject(_ key: String) -> [String: JSONValue]? { validator.requiredObject(key) }

    /// An identifier that may be absent, but when present is a non-empty string: an empty `from` or `user_id` would
    /// otherwise bind a customer to "".
    mutating func optionalID(_ key: String) -> String? {
        guard let s = validator.optionalString(key) else { return nil }
        guard !s.isEmpty else { fail(key, "must not be empty"); return nil }
        return s
    }

    /// Unix seconds, given as a digit string (Meta's form) or an integer.
    mutating func requiredUnixTime(_ key: String) -> Int64? {
        guard let text = validator.requiredIdentifier(key) else { return nil }
        guard let seconds = Int64(text), seconds >= 0 else {
            fail(key, "must be unix seconds, got \"\(text)\"")
            return nil
        }
        return seconds
    }

    /// Unix seconds that may be absent, given as a digit string or an integer.
    mutating func optionalUnixTime(_ key: String) -> Int64? {
        guard member(key) != nil else { return nil }
        return requiredUnixTime(key)
    }

    mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = member(key) else { return nil }
        guard let flag = value.boolValue else { fail(key, "must be a boolean, got \(value.typeName)"); return nil }
        return flag
    }

    mutating func requiredNumber(_ key: String) -> Double? {
        guard member(key) != nil else { fail(key, "is required"); return nil }
        return validator.optionalNumber(key)
    }

    mutating func optionalInteger(_ key: String) -> Int64? {
        guard let value = member(key) else { return nil }
        guard let integer = value.int64Value else { fail(key, "must be an integer, got \(value.typeName)"); return nil }
        return integer
    }

    mutating func optionalObject(_ key: String) -> [String: JSONValue]? {
        guard let value = member(key) else { return nil }
        guard let object = value.objectValue else { fail(key, "must be an object, got \(value.typeName)"); return nil }
        return object
    }
}
