// Foundation is not needed by this file's code, but importing it in this module makes the linker pull in libm, which
// `Double.rounded()` (JSONValue, JSONWriter) needs on Linux; without it the `gateway` executable fails to link.
import Foundation
import GatewayKit

/// Why a stored event payload could not be read back into an ``InboundEvent``.
public struct InboundEventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON path of the field at fault inside the payload, e.g. `media.id`; `$` for the payload itself.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Reads the fields of one stored event object, throwing at the first problem. Stored payloads were written by
/// ``InboundEvent/toJSON()``, so any mismatch means corruption or a schema change: failing loudly beats guessing.
struct EventJSONReader {
    private let object: [String: JSONValue]
    private let prefix: String

    init(_ value: JSONValue, path: String = "") throws(InboundEventDecodingError) {
        guard case .object(let object) = value else {
            throw InboundEventDecodingError(path: path.isEmpty ? "$" : path,
                                            message: "must be an object, got \(value.typeName)")
        }
        self.object = object
        self.prefix = path
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    private func fail(_ key: String, _ message: String) -> InboundEventDecodingError {
        InboundEventDecodingError(path: path(key), message: message)
    }

    /// The member as stored; absent and `null` both read as nil because ``toJSON()`` omits empty optionals.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(InboundEventDecodingError) -> String {
        guard let s = try optionalString(key) else { throw fail(key, "is required") }
        return s
    }

    func optionalString(_ key: String) throws(InboundEventDecodingError) -> String? {
        guard let value = value(key) else { return nil }
        guard let s = value.stringValue else { throw fail(key, "must be a string, got \(value.typeName)") }
        return s
    }

    /// `key`, or in payloads stored before it was renamed, `earlierKey`.
    func string(_ key: String, formerly earlierKey: String) throws(InboundEventDecodingError) -> String {
        if let s = try optionalString(key) { return s }
        return try string(earlierKey)
    }

    func optionalString(_ key: String, formerly earlierKey: String) throws(InboundEventDecodingError) -> String? {
        if let s = try optionalString(key) { return s }
        return try optionalString(earlierKey)
    }

    func int64(_ key: String) throws(InboundEventDecodingError) -> Int64 {
        guard let i = try optionalInt64(key) else { throw fail(key, "is required") }
        return i
    }

    func optionalInt64(_ key: String) throws(InboundEventDecodingError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard let i = value.int64Value else { throw fail(key, "must be an integer, got \(value.typeName)") }
        return i
    }

    func double(_ key: String) throws(InboundEventDecodingError) -> Double {
        guard let value = value(key) else { throw fail(key, "is required") }
        guard let d = value.doubleValue else { throw fail(key, "must be a number, got \(value.typeName)") }
        return d
    }

    func optionalDouble(_ key: String) throws(InboundEventDecodingError) -> Double? {
        guard let value = value(key) else { return nil }
        guard let d = value.doubleValue else { throw fail(key, "must be a number, got \(value.typeName)") }
        return d
    }

    /// The strings of an array member (an absent array reads as empty).
    func strings(_ key: String) throws(InboundEventDecodingError) -> [String] {
        guard let value = value(key) else { return [] }
        guard let array = value.arrayValue else { throw fail(key, "must be an array, got \(value.typeName)") }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let s = element.stringValue else {
                throw fail("\(key)[\(index)]", "must be a string, got \(element.typeName)")
            }
            strings.append(s)
        }
        return strings
    }

    func optionalBool(_ key: String) throws(InboundEventDecodingError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let b = value.boolValue else { throw fail(key, "must be a boolean, got \(value.typeName)") }
        return b
    }

    func optionalObject(_ key: String) throws(InboundEventDecodingError) -> EventJSONReader? {
        guard let value = value(key) else { return nil }
        return try EventJSONReader(value, path: path(key))
    }

    /// An optional nested object, read by `make` (typically a type's `init(reading:)`).
    func optionalObject<T>(_ key: String, _ make: (EventJSONReader) throws(InboundEventDecodingError) -> T)
        throws(InboundEventDecodingError) -> T? {
        guard let reader = try optionalObject(key) else { return nil }
        return try make(reader)
    }

    /// The elements of an array member as readers (an absent array reads as empty).
    func objects(_ key: String) throws(InboundEventDecodingError) -> [EventJSONReader] {
        guard let value = value(key) else { return [] }
        guard let array = value.arrayValue else { throw fail(key, "must be an array, got \(value.typeName)") }
        var readers: [EventJSONReader] = []
        for (index, element) in array.enumerated() {
            readers.append(try EventJSONReader(element, path: "\(path(key))[\(index)]"))
        }
        return readers
    }
}

extension JSONValue {
    /// The same document with every integral `.number` turned into `.integer`. ``JSONWriter`` writes `2.0` as `2`, which
    /// parses back as an integer; canonicalizing raw fragments up front makes events survive a write/parse cycle equal.
    public var canonicalized: JSONValue {
        switch self {
        case .number(let d) where d.rounded() == d && abs(d) < 1e15: return .integer(Int64(d))
        case .array(let elements): return .array(elements.map(\.canonicalized))
        case .object(let members): return .object(members.mapValues(\.canonicalized))
        default: return self
        }
    }
}
