/// A strict RFC 8259 parser over raw bytes. Written here rather than using JSONSerialization so that invalid UTF-8 is
/// always rejected (never silently replaced), nesting is bounded, integers stay exact, and an object that names a
/// member twice is refused (RFC 8259 leaves it open; taking the last one let `{"type":"deal.deleted",
/// "type":"deal.created"}` create a deal).
public struct JSONParser {
    public static let maxDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Containers opened this deep or deeper are checked but not built (see ``parse(_:outerLevels:)``).
    private let outerLevels: Int
    /// Keys of the objects being checked without being built, innermost object's last (reused: no allocation per
    /// object once it has grown).
    private var skimmedKeys: [SkimmedKey] = []

    /// Parses one complete JSON value; whitespace around it is allowed, anything else is an error.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try parse(bytes, outerLevels: maxDepth)
    }

    /// Like ``parse(_:)``, with the same verdict on every input (the same error at the same offset), but only the
    /// outer `outerLevels` levels of containers are built: an object or array nested deeper comes back empty (`{}`,
    /// `[]`) after being checked like the rest. For shape checks that read only the outer levels of a large body
    /// (a webhook's envelope at its acknowledgement), without allocating the values nobody reads.
    public static func parse(_ bytes: [UInt8], outerLevels: Int) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, outerLevels: outerLevels)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index != bytes.count { throw JSONParseError(reason: .trailingData, offset: parser.index) }
        return value
    }

    private init(bytes: [UInt8], outerLevels: Int) {
        self.bytes = bytes
        self.outerLevels = outerLevels
    }

    private func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason: reason, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{") where depth >= outerLevels: try skimObject(); return .object([:])
        case UInt8(ascii: "[") where depth >= outerLevels: try skimArray(); return .array([])
        case UInt8(ascii: "\"") where depth > outerLevels: try skimString(); return .string("")
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail(.unexpectedByte(bytes[index]))
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw JSONParseError(reason: .unexpectedEnd, offset: bytes.count) }
        let start = literal.utf8Start
        for i in 0..<count where bytes[index + i] != start[i] {
            index += i
            throw fail(.unexpectedByte(bytes[index]))
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail(.tooDeep) }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        // Room for a few members from the start: growing from empty costs an allocation and a rehash at the first
        // and the second member (most objects of a webhook's envelope have two).
        var members = [String: JSONValue](minimumCapacity: 4)
        try walkObject(key: { parser throws(JSONParseError) in try parser.parseString() }) {
            parser, key, keyOffset throws(JSONParseError) in
            guard members.updateValue(try parser.parseValue(), forKey: key) == nil else {
                throw JSONParseError(reason: .duplicateKey(key), offset: keyOffset)
            }
        }
        return .object(members)
    }

    /// Checks the object at `index` as ``parseObject()`` does (a member named twice included), building nothing but
    /// its keys.
    private mutating func skimObject() throws(JSONParseError) {
        let first = skimmedKeys.count
        // Room for the keys of a few nested objects at once, made when the first is skimmed rather than grown key by
        // key in every parse.
        if skimmedKeys.capacity == 0 { skimmedKeys.reserveCapacity(32) }
        defer { skimmedKeys.removeSubrange(first...) }
        var seen: Set<String>?
        try walkObject(key: { parser throws(JSONParseError) in try parser.skimKey() }) {
            parser, key, keyOffset throws(JSONParseError) in
            _ = try parser.parseValue()
            guard parser.note(key, keysFrom: first, seen: &seen) else {
                throw JSONParseError(reason: .duplicateKey(parser.text(of: key)), offset: keyOffset)
            }
        }
    }

    /// Records `key` among the keys of the skimmed object whose keys start at `first`; false when it has it already.
    /// A linear search for the usual handful of keys, a set past 16, so that an object of many thousands of keys is
    /// still checked in linear time.
    private mutating func note(_ key: SkimmedKey, keysFrom first: Int, seen: inout Set<String>?) -> Bool {
        if seen != nil { return seen!.insert(text(of: key)).inserted }
        // Over the two arrays' storage: no slice, no copy of a key (nor the retains and releases they cost).
        let repeated = skimmedKeys.withUnsafeBufferPointer { keys in
            bytes.withUnsafeBufferPointer { input in
                keys[first...].contains { SkimmedKey.same($0, key, in: input) }
            }
        }
        if repeated { return false }
        skimmedKeys.append(key)
        if skimmedKeys.count - first > 16 { seen = Set(skimmedKeys[first...].map { text(of: $0) }) }
        return true
    }

    /// Walks the object at `index`: `key` reads each key, `member` gets it (with the offset of its opening quote) and
    /// must consume the member's value.
    @inline(__always)
    private mutating func walkObject<Key>(
        key readKey: (inout JSONParser) throws(JSONParseError) -> Key,
        _ member: (inout JSONParser, Key, Int) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1; depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[index])) }
            let keyOffset = index
            let key = try readKey(&self)
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, key, keyOffset)
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            depth -= 1
            return
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        var elements: [JSONValue] = []
        try walkArray { parser throws(JSONParseError) in elements.append(try parser.parseValue()) }
        return .array(elements)
    }

    /// Checks the array at `index` as ``parseArray()`` does, building nothing.
    private mutating func skimArray() throws(JSONParseError) {
        try walkArray { parser throws(JSONParseError) in _ = try parser.parseValue() }
    }

    /// Walks the array at `index`: `element` must consume each element's value.
    @inline(__always)
    private mutating func walkArray(_ element: (inout JSONParser) throws(JSONParseError) -> Void)
        throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1; depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"))
            depth -= 1
            return
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        guard bytes[index] == byte else { throw fail(.unexpectedByte(bytes[index])) }
        index += 1
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        var runStart = index
        var ascii = true
        while try scanRun(ascii: &ascii) == UInt8(ascii: "\\") {
            buffer.append(contentsOf: bytes[runStart..<index])
            try parseEscape(into: &buffer)
            runStart = index
        }
        // Without escapes (the usual case) the text is decoded straight from the input's contiguous bytes; ASCII
        // (most keys and values) needs no validation.
        let text = buffer.isEmpty ? JSONStringBytes.text(bytes, runStart..<index, ascii: ascii)
            : String(validating: buffer + bytes[runStart..<index], as: UTF8.self)
        index += 1
        guard let text else { throw JSONParseError(reason: .invalidUTF8, offset: start) }
        return text
    }

    /// Reads the key at `index` of an object being skimmed, with the verdict of ``parseString()``: a plain ASCII key
    /// as where it is, any other decoded.
    private mutating func skimKey() throws(JSONParseError) -> SkimmedKey {
        let start = index
        index += 1
        var ascii = true
        guard try scanRun(ascii: &ascii) == UInt8(ascii: "\""), ascii else {
            index = start
            return .decoded(try parseString())
        }
        index += 1
        return .ascii(start + 1..<index - 1)
    }

    private func text(of key: SkimmedKey) -> String { key.text(in: bytes) }

    /// Checks the string at `index` as ``parseString()`` does, building nothing.
    private mutating func skimString() throws(JSONParseError) {
        let start = index
        index += 1
        var ascii = true
        guard try scanRun(ascii: &ascii) == UInt8(ascii: "\"") else {
            // Escapes are rare: the decoding checks them, and the UTF-8 around them, exactly.
            index = start
            _ = try parseString()
            return
        }
        let valid = ascii || JSONStringBytes.isUTF8(bytes, start + 1..<index)
        index += 1
        guard valid else { throw JSONParseError(reason: .invalidUTF8, offset: start) }
    }

    /// Advances inside a string to its closing quote or its next backslash and returns that byte; a control
    /// character or the end of the input is an error. Clears `ascii` on a byte above 0x7F.
    @inline(__always)
    private mutating func scanRun(ascii: inout Bool) throws(JSONParseError) -> UInt8 {
        // The run is scanned over the input's storage eight bytes at a time while none of them ends it, then byte by
        // byte up to the one that does; the bytes passed are OR-ed together to learn whether any is above 0x7F.
        var stop = index
        var bits: UInt64 = 0
        bytes.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            while stop + 8 <= input.count {
                let word = UnsafeRawPointer(base + stop).loadUnaligned(as: UInt64.self)
                if JSONStringBytes.mayEndRun(word) { break }
                bits |= word
                stop += 8
            }
            while stop < input.count {
                let byte = input[stop]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                bits |= UInt64(byte)
                stop += 1
            }
        }
        index = stop
        if bits & 0x8080_8080_8080_8080 != 0 { ascii = false }
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        let byte = bytes[index]
        if byte < 0x20 { throw fail(.unexpectedByte(byte)) }
        return byte
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        index += 1
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(code)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail(.invalidEscape) }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail(.invalidEscape) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail(.invalidEscape)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail(.invalidEscape) }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            index -= 1
            throw fail(.invalidEscape)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            throw fail(.invalidNumber)
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try requireDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try requireDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else {
            throw JSONParseError(reason: .invalidNumber, offset: start)
        }
        return .number(double)
    }

    private mutating func requireDigits() throws(JSONParseError) {
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
