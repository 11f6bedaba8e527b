import GatewayKit
@testable import Identity
import XCTest

/// The CSV reader of the contact-field import on its own: cells read as their column's type, empty cells left out,
/// and the header's problems named by line and column.
final class ContactFieldCSVTests: XCTestCase {
    private let fields = [
        ContactFieldDefinition(key: "sex", label: "Sex", type: .dropdown, options: ["Male", "Female"], builtIn: true),
        ContactFieldDefinition(key: "spend", label: "Spend", type: .number),
        ContactFieldDefinition(key: "interests", label: "Interests", type: .multiSelect, options: ["tea", "cake"]),
        ContactFieldDefinition(key: "notes", label: "Notes", type: .multiLineText),
    ]

    private func read(_ text: String) throws(GatewayError) -> [ContactFieldImportLine] {
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(Array(text.utf8))
        } catch {
            XCTFail("not CSV: \(error)")
            return []
        }
        return try ContactFieldCSV.read(records, fields: fields)
    }

    private func problems(_ text: String) -> [String] {
        do {
            _ = try read(text)
            return []
        } catch {
            guard case .validation(let errors) = error else { return ["\(error)"] }
            return errors.map { "\($0.field): \($0.message)" }
        }
    }

    func testCellsAreReadAsTheirColumnsTypeAndEmptyCellsAreLeftOut() {
        XCTAssertEqual(ContactFieldCSV.value(of: " 12.5 ", for: .number), .number(12.5))
        XCTAssertEqual(ContactFieldCSV.value(of: "-3e2", for: .number), .number(-300))
        for text in ["1,000", "0x10", "nan", "inf", "twelve"] {
            XCTAssertEqual(ContactFieldCSV.value(of: text, for: .number), .string(text), "left for the type to refuse")
        }
        XCTAssertEqual(ContactFieldCSV.value(of: "tea; cake;;", for: .multiSelect), ["tea", "cake"])
        XCTAssertEqual(ContactFieldCSV.value(of: " Male ", for: .dropdown), "Male")
        XCTAssertEqual(ContactFieldCSV.value(of: " two\nlines ", for: .multiLineText), " two\nlines ")
        XCTAssertNil(ContactFieldCSV.value(of: "", for: .singleLineText))
        XCTAssertNil(ContactFieldCSV.value(of: "  ", for: .number))
    }

    func testLinesCarryTheirContactValuesOrTheirProblem() throws {
        let lines = try read("Spend,contact_id,SEX\n10,c1,\n,c2,Female\n1,2\n5,,Male\n")
        XCTAssertEqual(lines.map(\.line), [2, 3, 4, 5])
        XCTAssertEqual(lines[0].contactID, "c1")
        XCTAssertEqual(lines[0].values, ["spend": .number(10)], "an empty cell leaves the value alone")
        XCTAssertEqual(lines[1].values, ["sex": "Female"])
        XCTAssertEqual(lines[2].problems.map(\.field), ["line 4"])
        XCTAssertEqual(lines[2].problems.first?.message, "has 2 cells, the header has 3")
        XCTAssertEqual(lines[3].problems.map(\.field), ["line 5: contact_id"])
    }

    func testTheHeaderNamesEveryProblem() {
        XCTAssertEqual(problems("contact_id,nickname,sex,sex,,notes\n"), [
            "line 1: nickname: is not a contact field (GET /v1/contact-fields)",
            "line 1: sex: appears twice",
            "line 1: column 5: has no name; name a contact field",
        ])
        XCTAssertEqual(problems("sex,spend\nMale,1\n"), ["line 1: must name a contact_id column"])
        XCTAssertEqual(problems(""), ["line 1: must be a header: contact_id,<field key>,…"])
        XCTAssertEqual(problems("contact_id\n" + String(repeating: "c\n", count: ContactFieldService.maxImportLines + 1)),
                       ["body: at most \(ContactFieldService.maxImportLines) lines"])
        XCTAssertEqual(problems("contact_id\n" + String(repeating: "c\n", count: ContactFieldService.maxImportLines)), [])
    }
}
