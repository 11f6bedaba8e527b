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
            return .refused(error.description)
        }
        try checkRoundTrip(value, target: .json)
        return .accepted
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
