import Identity
import XCTest

/// The one phone normalizer: national Malaysian spellings with the default country code, international ones always,
/// garbage refused with a reason.
final class PhoneNumberFormatTests: XCTestCase {
    let malaysia = PhoneNumberFormat(defaultCountryCode: "60")

    func testTheUsualSpellingsOfOneMalaysianNumberAreOneNumber() throws {
        for text in ["+60 12-345 6789", "012-3456789", "60123456789", "0060123456789", "(012) 345 6789",
                     " +60123456789 ", "0060 12 345 6789"] {
            XCTAssertEqual(try malaysia.canonical(text), "60123456789", text)
        }
        XCTAssertEqual(try malaysia.canonical("+65 6123 4567"), "6561234567", "another country stays itself")
        XCTAssertEqual(try PhoneNumberFormat(defaultCountryCode: "62").canonical("0812-3456-789"), "628123456789")
        XCTAssertEqual(PhoneNumberFormat.display("60123456789"), "+60123456789")
    }

    func testGarbageIsRefusedWithTheReason() {
        XCTAssertEqual(error("12345abc"), .invalidCharacter("a"))
        XCTAssertEqual(error("+60.12.345"), .invalidCharacter("."))
        XCTAssertEqual(error("60+123456789"), .invalidCharacter("+"))
        XCTAssertEqual(error("012-٣456789"), .invalidCharacter("٣"), "only ASCII digits")
        XCTAssertEqual(error(""), .empty)
        XCTAssertEqual(error(" - "), .empty)
        XCTAssertEqual(error("0123"), .digitCount(5), "012 → 6012: too short")
        XCTAssertEqual(error("+60 1234 5678 9012 34"), .digitCount(16))
        XCTAssertEqual(error("+0123456789"), .startsWithZero)
        XCTAssertEqual(error("000123456789"), .startsWithZero, "00 then a country code starting with 0")
        XCTAssertTrue(PhoneNumberError.digitCount(16).description.contains("7 to 15"))
    }

    func testWithoutADefaultCountryOnlyInternationalNumbersPassAsTheIdentityCodeAlwaysDid() {
        XCTAssertEqual(try PhoneNumberFormat.international.canonical("+60 12-345 6789"), "60123456789")
        XCTAssertThrowsError(try PhoneNumberFormat.international.canonical("012-3456789")) {
            XCTAssertEqual($0 as? PhoneNumberError, .startsWithZero)
        }
        XCTAssertNil(IdentifierFormat.phone("0060123456789"))
        XCTAssertEqual(IdentifierFormat.phone("+1 (415) 555-0100"), "14155550100")
        XCTAssertNil(IdentifierFormat.phone("123456"), "six digits")
    }

    func testCountryCodes() {
        XCTAssertTrue(PhoneNumberFormat.isCountryCode("60"))
        XCTAssertTrue(PhoneNumberFormat.isCountryCode("1"))
        for bad in ["", "060", "+60", "6000", "6a"] { XCTAssertFalse(PhoneNumberFormat.isCountryCode(bad), bad) }
    }

    private func error(_ text: String) -> PhoneNumberError? {
        do {
            _ = try malaysia.canonical(text)
            return nil
        } catch {
            return error
        }
    }
}
