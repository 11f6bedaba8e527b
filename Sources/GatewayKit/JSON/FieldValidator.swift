/// One problem with one field of a request body, named by its JSON path (e.g. `entry[0].changes[1].value`).
public struct FieldError: Sendable, Equatable {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Reads typed fields out of a JSON object while collecting every problem, so a caller gets all field errors of a
/// body in one 400 instead of fixing them one round-trip at a time.
public struct FieldValidator {
    public private(set) var errors: [FieldError] = []
    private let object: [String: JSONValue]
    private let prefix: String

    /// `prefix` is the path of `object` inside the document ("" for the root, "data" for a nested object).
    public init(_ object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    public func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    public mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: path(key), message: message))
    }

    /// Adds errors found by a nested validator.
    public mutating func merge(_ other: FieldValidator) { errors.append(contentsOf: other.errors) }

    /// Adds errors found elsewhere (their fields already carry full paths).
    public mutating func merge(_ other: [FieldError]) { errors.append(contentsOf: other) }

    /// Fails every member not in `allowed` (members starting with `_` are comments and pass).
    public mutating func rejectUnknownKeys(allowed: Set<String>) {
        for key in object.keys.sorted() where !key.hasPrefix("_") && !allowed.contains(key) {
            fail(key, "is not a known field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// A string that must be present and non-empty.
    public mutating func requiredString(_ key: String) -> String? {
        guard let value = object[key], !value.isNull else { fail(key, "is required"); return nil }
        guard let s = value.stringValue else { fail(key, "must be a string, got \(value.typeName)"); return nil }
        guard !s.isEmpty else { fail(key, "must not be empty"); return nil }
        return s
    }

    /// A string that may be absent or null.
    public mutating func optionalString(_ key: String) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let s = value.stringValue else { fail(key, "must be a string, got \(value.typeName)"); return nil }
        return s
    }

    /// An optional non-empty string of at most `maxLength` characters without control characters (values that end
    /// up in links, logs, labels and outbound events).
    public mutating func boundedString(_ key: String, maxLength: Int) -> String? {
        guard let text = optionalString(key) else { return nil }
        guard !text.isEmpty else { fail(key, "must not be empty"); return nil }
        guard Self.fits(text, maxLength: maxLength) else {
            fail(key, "must be at most \(maxLength) characters")
            return nil
        }
        // The control characters (general category Cc) are exactly U+0000–U+001F and U+007F–U+009F; compared as
        // values rather than through the Unicode property tables, on every string field of every request.
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            fail(key, "must not contain control characters")
            return nil
        }
        return text
    }

    /// True when `text` has at most `maxLength` characters. A text has at most as many characters as UTF-8 bytes, so
    /// most texts are known short enough without counting characters (grapheme clusters).
    public static func fits(_ text: String, maxLength: Int) -> Bool {
        text.utf8.count <= maxLength || text.count <= maxLength
    }

    /// An identifier given either as a JSON string or an integer; returned as text.
    public mutating func optionalIdentifier(_ key: String) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        switch value {
        case .string(let s) where !s.isEmpty: return s
        case .integer(let i): return String(i)
        default: fail(key, "must be a non-empty string or an integer, got \(value.typeName)"); return nil
        }
    }

    public mutating func requiredIdentifier(_ key: String) -> String? {
        guard let value = object[key], !value.isNull else { fail(key, "is required"); return nil }
        return optionalIdentifier(key)
    }

    public mutating func optionalNumber(_ key: String) -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let d = value.doubleValue else { fail(key, "must be a number, got \(value.typeName)"); return nil }
        return d
    }

    /// A whole number within `range` that must be present.
    public mutating func requiredInteger(_ key: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value = object[key], !value.isNull else { fail(key, "is required"); return nil }
        guard let number = value.int64Value else { fail(key, "must be an integer, got \(value.typeName)"); return nil }
        guard range.contains(number) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    public mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let b = value.boolValue else { fail(key, "must be a boolean, got \(value.typeName)"); return nil }
        return b
    }

    public mutating func requiredObject(_ key: String) -> [String: JSONValue]? {
        guard let value = object[key], !value.isNull else { fail(key, "is required"); return nil }
        guard let o = value.objectValue else { fail(key, "must be an object, got \(value.typeName)"); return nil }
        return o
    }

    public mutating func optionalArray(_ key: String) -> [JSONValue]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let a = value.arrayValue else { fail(key, "must be an array, got \(value.typeName)"); return nil }
        return a
    }

    public mutating func requiredArray(_ key: String) -> [JSONValue]? {
        guard let value = object[key], !value.isNull else { fail(key, "is required"); return nil }
        return optionalArray(key)
    }

    /// A string limited to `allowed` values.
    public mutating func optionalEnum(_ key: String, _ allowed: [String]) -> String? {
        guard let s = optionalString(key) else { return nil }
        guard allowed.contains(s) else {
            fail(key, "must be one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return s
    }
}

extension FieldValidator {
    /// Who makes a change: always the caller, as its credential names it (`caller`). A body may still carry `key`
    /// (clients written before credentials named the actor), but only as exactly that name; anything else is a field
    /// error, never a way to act as someone else.
    public mutating func actor(_ key: String = "actor", caller: String) -> String {
        guard let value = object[key], !value.isNull else { return caller }
        if value.stringValue != caller {
            fail(key, "must be left out or be the caller's own name (\(caller)): who acts comes from the credential")
        }
        return caller
    }
}

extension FieldError {
    /// The `limit` query parameter of a list or report: an integer from 1 to `max`, `fallback` when it is absent; a
    /// bad one is named in `errors` (and `fallback` returned).
    public static func limit(_ parameters: [String: String], max: Int, default fallback: Int,
                             errors: inout [FieldError]) -> Int {
        guard let text = parameters["limit"] else { return fallback }
        guard let value = Int(text), (1...max).contains(value) else {
            errors.append(FieldError(field: "limit", message: "must be an integer between 1 and \(max)"))
            return fallback
        }
        return value
    }
}
