import GatewayKit
import XCTest

/// `boundedString`'s length and control-character checks, which run on every string field of every command.
final class FieldValidatorBoundsTests: XCTestCase {
    private func check(_ text: String, maxLength: Int = 8) -> [String] {
        var validator = FieldValidator(["v": .string(text)])
        _ = validator.boundedString("v", maxLength: maxLength)
        return validator.errors.map(\.message)
    }

    func testLengthCountsCharactersNotBytes() {
        XCTAssertEqual(check("12345678"), [])
        XCTAssertEqual(check("123456789"), ["must be at most 8 characters"])
        XCTAssertEqual(check("ééééééé👍🏽"), [], "8 characters in 22 bytes")
        XCTAssertEqual(check("éééééééé👍🏽"), ["must be at most 8 characters"])
    }

    /// Refused are exactly the scalars of general category Cc.
    func testControlCharactersAreTheUnicodeControlCategory() {
        for value in UInt32(0)..<0x1_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let refused = !check("a\(Character(scalar))b", maxLength: 16).isEmpty
            XCTAssertEqual(refused, scalar.properties.generalCategory == .control, "U+\(String(value, radix: 16))")
        }
    }
}
