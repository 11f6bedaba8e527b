import GatewayKit
import XCTest

/// Fixed-shape objects and timestamps, written by hand for the single writer thread, give the bytes the general
/// writer gives.
final class JSONObjectShapeTests: XCTestCase {
    func testWritesTheMembersAsTheGeneralWriterDoes() {
        let values: [String: JSONValue] = [
            "zeta": .null, "alpha": "a \"quoted\"\nline\u{1}", "Beta": .integer(-7), "amount": .number(1_500),
            "ratio": .number(0.25), "list": ["x", 2, .bool(true)], "nested": ["b": 1, "a": .null], "é": "ü",
        ]
        let shape = JSONObjectShape(values.keys.map { (key: $0, member: $0) })
        XCTAssertEqual(shape.bytes { values[$0] ?? .null }, JSONWriter.bytes(.object(values)))
        XCTAssertEqual(JSONObjectShape<String>([]).bytes { _ in .null }, Array("{}".utf8))
    }

    func testRFC3339() {
        let expected: [Int64: String] = [
            0: "1970-01-01T00:00:00.000Z", -1: "1969-12-31T23:59:59.999Z",
            1_783_000_000_123: "2026-07-02T13:46:40.123Z", 951_782_400_000: "2000-02-29T00:00:00.000Z",
            253_402_300_799_999: "9999-12-31T23:59:59.999Z", 253_402_300_800_000: "10000-01-01T00:00:00.000Z",
        ]
        for (millis, text) in expected { XCTAssertEqual(Timestamps.rfc3339(millis), text, "\(millis)") }
    }
}
