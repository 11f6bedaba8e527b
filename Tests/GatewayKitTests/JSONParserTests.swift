import GatewayKit
import XCTest

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    private func reason(of bytes: [UInt8]) -> JSONParseError.Reason? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    func testParsesEveryValueKind() throws {
        let value = try parse(#" {"s":"x","i":-42,"d":1.5e2,"t":true,"f":false,"n":null,"a":[1,"2",[]],"o":{}} "#)
        XCTAssertEqual(value["s"], "x")
        XCTAssertEqual(value["i"], .integer(-42))
        XCTAssertEqual(value["d"], .number(150))
        XCTAssertEqual(value["t"], true)
        XCTAssertEqual(value["f"], false)
        XCTAssertEqual(value["n"], .null)
        XCTAssertEqual(value["a"], [1, "2", []])
        XCTAssertEqual(value["o"], .object([:]))
    }

    func testKeepsLargeIntegersExact() throws {
        XCTAssertEqual(try parse("9007199254740993"), .integer(9_007_199_254_740_993))
    }

    func testDecodesEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\n\u00e9\ud83d\udc4d""#), .string("a\"b\\c/d\né👍"))
    }

    func testKeepsNonASCIIAndEmojiVerbatim() throws {
        let text = "Terima kasih 谢谢 👍🏽"
        XCTAssertEqual(try parse("\"\(text)\""), .string(text))
    }

    func testRejectsInvalidUTF8InsideStrings() {
        XCTAssertEqual(reason(of: [0x22, 0xC3, 0x28, 0x22]), .invalidUTF8)
        XCTAssertEqual(reason(of: [0x22, 0xED, 0xA0, 0x80, 0x22]), .invalidUTF8)  // encoded surrogate
        XCTAssertEqual(reason(of: [0x22, 0xFF, 0x22]), .invalidUTF8)
    }

    func testRejectsMalformedDocuments() {
        let cases: [(String, JSONParseError.Reason)] = [
            ("", .unexpectedEnd),
            ("{", .unexpectedEnd),
            (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"))),
            (#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}"))),
            ("[1 2]", .unexpectedByte(UInt8(ascii: "2"))),
            ("01", .trailingData),
            ("1.", .invalidNumber),
            ("-", .unexpectedEnd),
            ("tru", .unexpectedEnd),
            ("nul1", .unexpectedByte(UInt8(ascii: "1"))),
            (#""\x""#, .invalidEscape),
            (#""\ud83d""#, .invalidEscape),
            ("\"a\nb\"", .unexpectedByte(0x0A)),
            ("{} {}", .trailingData),
            ("1e999", .invalidNumber),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(reason(of: Array(text.utf8)), expected, "input: \(text.debugDescription)")
        }
    }

    func testBoundsNestingDepth() {
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1)
        XCTAssertEqual(reason(of: Array(deep.utf8)), .tooDeep)
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        XCTAssertNil(reason(of: Array(ok.utf8)))
    }

    func testWriterRoundTripsAndSortsKeys() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\"\n\u{01}"], "a": ["z": nil, "y": true]]
        let text = JSONWriter.string(value)
        XCTAssertEqual(text, #"{"a":{"y":true,"z":null},"b":[1,2.5,"x\"\n\u0001"]}"#)
        XCTAssertEqual(try parse(text), value)
    }

    func testOuterLevelsAreBuiltAndTheRestCheckedAlike() throws {
        let text = #"{"entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"text":"hi"}]}}]}]}"#
        let outer = try JSONParser.parse(Array(text.utf8), outerLevels: 5)
        let entry = outer["entry"]?.arrayValue?.first
        let change = entry?["changes"]?.arrayValue?.first
        XCTAssertEqual(change?["field"], "messages", "a string member of the last level built is kept")
        XCTAssertEqual(change?["value"], .object([:]), "a container below the outer levels comes back empty")
        XCTAssertEqual(entry?["id"], "1")
        XCTAssertEqual(try JSONParser.parse(Array(text.utf8), outerLevels: 0), .object([:]))
        XCTAssertEqual(try JSONParser.parse(Array(#"["a",["b"]]"#.utf8), outerLevels: 1), ["a", []])

        // Whatever is wrong deep inside is refused the same way, at the same byte.
        let deep = #"{"a":[{"b":{"c":"#
        let faults: [[UInt8]] = [
            Array((deep + #"{"x":1,"x":2}}}]}"#).utf8),
            Array((deep + #"["\q"]}}]}"#).utf8),
            Array((deep + #"["\ud800"]}}]}"#).utf8),
            Array(deep.utf8) + [0x22, 0xED, 0xA0, 0x80, 0x22] + Array("}}]}".utf8),
            Array(deep.utf8) + [0x22, 0xC0, 0xAF, 0x22] + Array("}}]}".utf8),
            Array((deep + "[1,]}}]}").utf8),
            Array((deep + "\"a\u{01}\"}}]}").utf8),
            Array((deep + String(repeating: "[", count: 70)).utf8),
            Array((deep + "1e999}}]}").utf8),
        ]
        for fault in faults {
            let full = Result { () throws(JSONParseError) in try JSONParser.parse(fault) }
            let outerOnly = Result { () throws(JSONParseError) in try JSONParser.parse(fault, outerLevels: 2) }
            XCTAssertEqual(outerOnly, full, String(decoding: fault, as: UTF8.self))
            XCTAssertThrowsError(try full.get())
        }
        // Many keys in one skimmed object: a duplicate is still found, in linear time.
        let keys = (0..<5_000).map { #""k\#($0)":0"# }.joined(separator: ",")
        XCTAssertNoThrow(try JSONParser.parse(Array("[{\(keys)}]".utf8), outerLevels: 0))
        let twice = Array("[{\(keys),\"k4999\":1}]".utf8)
        XCTAssertEqual(Result { () throws(JSONParseError) in try JSONParser.parse(twice, outerLevels: 0) },
                       Result { () throws(JSONParseError) in try JSONParser.parse(twice) })
    }

    func testEveryByteOfALongStringCanEndOrSpoilIt() throws {
        // Strings are scanned eight bytes at a time: whatever ends or spoils one must be found at every position,
        // in a word or in the bytes after the last whole word, built or skimmed (inside a skimmed array) alike.
        let plain = Array("abcdefghijklmnopqrstuvw".utf8)
        for position in plain.indices {
            func string(_ middle: [UInt8]) -> [UInt8] {
                [0x5B, 0x22] + plain[..<position] + middle + plain[position...] + [0x22, 0x5D]
            }
            for levels in [0, JSONParser.maxDepth] {
                /// The value, or the error's reason and offset.
                func verdict(_ bytes: [UInt8]) -> String {
                    do throws(JSONParseError) {
                        return "\(try JSONParser.parse(bytes, outerLevels: levels))"
                    } catch {
                        return "\(error.reason) at \(error.offset)"
                    }
                }
                func value(_ text: String) -> String { "\(JSONValue.array(levels > 0 ? [.string(text)] : []))" }
                let before = String(decoding: plain[..<position], as: UTF8.self)
                let after = String(decoding: plain[position...], as: UTF8.self)
                XCTAssertEqual(verdict(string([0x01])), "unexpectedByte(1) at \(2 + position)")
                XCTAssertEqual(verdict(string([0xFF])), "invalidUTF8 at 1")
                XCTAssertEqual(verdict([0x5B, 0x22] + plain[..<position]), "unexpectedEnd at \(2 + position)")
                XCTAssertEqual(verdict(string([0x5C, 0x22])), value(before + "\"" + after))
                XCTAssertEqual(verdict(string([0xC3, 0xA9])), value(before + "é" + after))
            }
        }
    }

    func testSkimmedObjectsFindTheDuplicatesThatDecodedKeysFind() {
        // Keys compared as bytes where they are plain ASCII must decide as decoded strings do: an escape, or a
        // character canonically equivalent to another (KELVIN SIGN and "K", "é" and "e" + COMBINING ACUTE).
        let duplicates: [(object: String, key: String)] = [
            (#"{"k":1,"\u006b":2}"#, "k"), ("{\"K\":1,\"\u{212A}\":2}", "K"), ("{\"\u{E9}\":1,\"e\u{301}\":2}", "\u{E9}"),
            (#"{"id":1,"ab":2,"id":3}"#, "id"),
        ]
        let distinct = [#"{"ab":1,"ba":2,"a":3,"abc":4}"#, #"{"k":1,"\u006c":2}"#, "{\"K\":1,\"k\":2,\"\u{212B}\":3}"]
        func error(_ text: [UInt8], outerLevels: Int) -> JSONParseError? {
            do { _ = try JSONParser.parse(text, outerLevels: outerLevels) } catch { return error }
            return nil
        }
        for object in duplicates.map(\.object) + distinct {
            let text = Array(#"{"outer":["#.utf8) + Array(object.utf8) + Array("]}".utf8)
            XCTAssertEqual(error(text, outerLevels: 1), error(text, outerLevels: JSONParser.maxDepth), object)
        }
        for (object, key) in duplicates {
            let text = Array(#"{"outer":["#.utf8) + Array(object.utf8) + Array("]}".utf8)
            XCTAssertEqual(error(text, outerLevels: 1)?.reason, .duplicateKey(key), object)
        }
        for object in distinct {
            XCTAssertNil(error(Array(object.utf8), outerLevels: 0), object)
        }
    }

    func testRefusesAnObjectThatNamesAMemberTwiceAtAnyDepth() {
        for (text, key) in [(#"{"type":"deal.deleted","type":"deal.created"}"#, "type"),
                            (#"{"data":{"id":1,"name":"a","id":2}}"#, "id"),
                            (#"[{"a":1},{"b":1,"b":1}]"#, "b")] {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.reason, .duplicateKey(key), text)
            }
        }
        XCTAssertNoThrow(try parse(#"{"a":{"id":1},"b":{"id":1}}"#), "the same key in two objects is fine")
    }
}
