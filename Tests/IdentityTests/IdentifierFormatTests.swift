import Identity
import XCTest

final class IdentifierFormatTests: XCTestCase {
    func testABSUIDIsACountryADotAndSixToThirtyTwoDigitsWithAnOptionalEnterprisePart() {
        for valid in ["US.13491208655302741918", "MY.123456", "US.ENT.118029485723", "US.ENT.123456",
                      "GB." + String(repeating: "7", count: 32)] {
            XCTAssertEqual(IdentifierFormat.bsuid(valid), valid, valid)
        }
        for invalid in ["", "US.12345", "US." + String(repeating: "7", count: 33), "us.123456", "USA.123456",
                        "U.1234567", "US..123456", "US.123.456", "US.ENT", "US.ENT.", "US.ENT.ENT.123456",
                        "US.ENT.12345", "US.ENT123456", "ÜS.123456", "US.１２３４５６", "US.123456 ", " US.123456",
                        "US-123456", "US.12345a"] {
            XCTAssertNil(IdentifierFormat.bsuid(invalid), invalid)
        }
    }
}
