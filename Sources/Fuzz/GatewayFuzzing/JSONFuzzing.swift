import GatewayKit

/// The JSON parser on any bytes. Refusals must come with an offset inside the input; an accepted value must come
/// back unchanged from `JSONWriter` and a second parse, and writing it again must give the same bytes (stored
/// answers are replayed byte for byte, and inbox payloads go through exactly this round trip).
enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            guard (0...bytes.count).contains(error.offset) else {
                throw FuzzFinding(.json, "error offset \(error.offset) outside the input (\(bytes.count) bytes)")
            }
            try checkOuterLevels(bytes, agreeWith: .failure(error))
            return .refused(error.description)
        }
        try checkOuterLevels(bytes, agreeWith: .success(value))
        try checkRoundTrip(value, target: .json)
        return .accepted
    }

    /// Parsing only the outer levels gives the full parse's verdict: the same error, or its value with the deeper
    /// containers empty (and the strings inside them blank).
    private static func checkOuterLevels(_ bytes: [UInt8],
                                         agreeWith full: Result<JSONValue, JSONParseError>) throws(FuzzFinding) {
        for levels in [0, 1, 2, 5] {
            let outer = Result { () throws(JSONParseError) in try JSONParser.parse(bytes, outerLevels: levels) }
            guard outer == full.map({ pruned($0, levels: levels) }) else {
                throw FuzzFinding(.json, "parsing \(levels) outer levels gave \(outer), the full parse \(full)")
            }
        }
    }

    /// `value` as a parse of its outer `levels` levels gives it (`depth`: the containers around it).
    static func pruned(_ value: JSONValue, levels: Int, depth: Int = 0) -> JSONValue {
        switch value {
        case .object where depth >= levels: return .object([:])
        case .array where depth >= levels: return .array([])
        case .string where depth > levels: return .string("")
        case .object(let members): return .object(members.mapValues { pruned($0, levels: levels, depth: depth + 1) })
        case .array(let elements): return .array(elements.map { pruned($0, levels: levels, depth: depth + 1) })
        default: return value
        }
    }

    /// `value` written, parsed and written again: the same value (numbers compared as numbers, since `2.0` is
    /// written `2`) and the same bytes.
    static func checkRoundTrip(_ value: JSONValue, target: FuzzTarget) throws(FuzzFinding) {
        let written = JSONWriter.bytes(value)
        let reparsed: JSONValue
        do {
            reparsed = try JSONParser.parse(written)
        } catch {
            throw FuzzFinding(target, "JSONWriter output does not parse: \(error)")
        }
        guard sameValue(value, reparsed) else {
            throw FuzzFinding(target, "value changed through JSONWriter and JSONParser")
        }
        guard JSONWriter.bytes(reparsed) == written else {
            throw FuzzFinding(target, "JSONWriter output is not stable after a round trip")
        }
    }

    private static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer, _), (.number, _):
            guard let x = a.doubleValue, let y = b.doubleValue else { return false }
            return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, member in y[key].map { sameValue(member, $0) } ?? false }
        default:
            return a == b
        }
    }
}
