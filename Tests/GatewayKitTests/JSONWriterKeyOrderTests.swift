import GatewayKit
import XCTest

/// Object members are written in `String <` order of their keys, whatever the keys' characters.
final class JSONWriterKeyOrderTests: XCTestCase {
    func testKeysAreWrittenInStringOrder() {
        let keys = ["b", "a", "ab", "a_b", "A", "Z", "aa", "", "a0", "é", "e", "f", "ae\u{301}", "af", "ä", "a\u{308}x",
                    "z", "日本", "~", "id", "ids", "i"]
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        let expected = "{" + keys.sorted().map { "\"\($0)\":null" }.joined(separator: ",") + "}"
        XCTAssertEqual(JSONWriter.string(object), expected)
    }
}
