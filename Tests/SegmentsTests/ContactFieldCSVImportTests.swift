import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// The contact-field bulk upsert as CSV through the real server: every type read from its cells, RFC 4180 quoting,
/// a byte-order mark, empty cells leaving values alone; one bad cell refuses the whole file naming line and column.
final class ContactFieldCSVImportTests: XCTestCase {
    private var gateway: TestGateway!
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        ids = try gateway.customersSayHello([("aisyah", "60111000001"), ("ben", "60111000002"), ("chong", "60111000003")])
        for body in [#"{"key": "interests", "label": "Interests", "type": "multi_select", "options": ["coffee", "tea", "cake"]}"#,
                     #"{"key": "notes", "label": "Notes", "type": "multi_line_text"}"#] {
            XCTAssertEqual(try gateway.admin("POST", "/v1/contact-fields", body: body).status, 201)
        }
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    private func importCSV(_ bytes: [UInt8], contentType: String = "text/csv") throws -> ClientResponse {
        try gateway.request("POST", "/v1/contact-fields/import",
                            headers: [("Authorization", "Bearer \(TestGateway.adminToken)"), ("Content-Type", contentType)],
                            body: bytes)
    }

    private func fields(_ who: String) throws -> JSONValue? {
        try gateway.admin("GET", "/v1/contacts/\(ids[who]!)").json?["fields"]
    }

    func testACSVFileSetsEveryTypeAndEmptyCellsLeaveValuesAlone() throws {
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(ids["aisyah"]!)/fields",
                                         body: #"{"job_title": "Barista", "loyalty_points": 5}"#).status, 200)
        let csv = [
            "contact_id,Sex,date_of_birth,lifetime_value,interests,notes,company,job_title,loyalty_points",
            "\(ids["aisyah"]!),Female,1990-04-01,1500.50,coffee; cake,\"line one\nsaid \"\"hi\"\"\",\"Kopi, Co\",,",
            "\(ids["ben"]!),Male,,200,tea,,,Manager,12",
            "",
            "\(ids["chong"]!),,,,,,Teh Sdn Bhd,,",
        ].joined(separator: "\r\n") + "\r\n"
        let imported = try importCSV([0xEF, 0xBB, 0xBF] + Array(csv.utf8), contentType: "Text/CSV; charset=utf-8")
        XCTAssertEqual(imported.status, 200, imported.text)
        XCTAssertEqual(imported.json, ["lines": 3, "contacts": 3])

        let aisyah = try fields("aisyah")
        XCTAssertEqual(aisyah?["sex"], "Female")
        XCTAssertEqual(aisyah?["date_of_birth"], "1990-04-01")
        XCTAssertEqual(aisyah?["lifetime_value"]?.doubleValue, 1500.5)
        XCTAssertEqual(aisyah?["interests"], ["cake", "coffee"])
        XCTAssertEqual(aisyah?["notes"], "line one\nsaid \"hi\"", "a quoted cell keeps its line end and quotes")
        XCTAssertEqual(aisyah?["company"], "Kopi, Co")
        XCTAssertEqual(aisyah?["job_title"], "Barista", "an empty cell leaves the value as it was")
        XCTAssertEqual(aisyah?["loyalty_points"]?.doubleValue, 5)
        let ben = try fields("ben")
        XCTAssertNil(ben?["date_of_birth"])
        XCTAssertEqual(ben?["loyalty_points"]?.doubleValue, 12)
        XCTAssertEqual(ben?["interests"], ["tea"])
        XCTAssertEqual(try fields("chong"), ["company": "Teh Sdn Bhd"])
        XCTAssertEqual(try gateway.rows("SELECT detail FROM audit_events WHERE action = 'contact_fields.imported'")
            .first?["detail"].flatMap { try? JSONParser.parse(Array($0.utf8)) }?["format"], "csv")
    }

    func testOneBadCellRefusesTheWholeFileNamingLineAndColumn() throws {
        let csv = """
            contact_id,sex,loyalty_points,date_of_birth,interests
            \(ids["aisyah"]!),Female,10,1990-04-01,coffee
            \(ids["ben"]!),F,,,
            \(ids["chong"]!),,lots,,
            \(ids["ben"]!),,,1990-02-30,coffee;beer
            nobody,Male,,,
            \(ids["chong"]!),Male

            """
        let refused = try importCSV(Array(csv.utf8))
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue },
                       ["line 3: sex", "line 4: loyalty_points", "line 5: date_of_birth", "line 5: interests",
                        "line 6: contact_id", "line 7"])
        XCTAssertEqual(refused.json?["errors"]?.arrayValue?.first?["message"],
                       "must be one of the field's options (Male, Female)")
        XCTAssertEqual(try gateway.rows("SELECT * FROM contact_field_values").count, 0, "nothing of the file stored")

        for (file, field) in [("contact_id,nickname,sex\n\(ids["ben"]!),x,Male\n", "line 1: nickname"),
                              ("sex\nMale\n", "line 1"),
                              ("contact_id,notes\n\(ids["ben"]!),\"never closed\n", "line 2"),
                              ("contact_id\n" + String(repeating: "x\n", count: 100_001), "body")] {
            let response = try importCSV(Array(file.utf8))
            XCTAssertEqual(response.status, 400, file.prefix(60) + "")
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, response.text)
        }
        let jsonLines = try importCSV(Array(#"{"contact_id": "\#(ids["ben"]!)", "fields": {"sex": "Male"}}"#.utf8),
                                      contentType: "application/x-ndjson")
        XCTAssertEqual(jsonLines.status, 200, "anything but text/csv is JSON lines: \(jsonLines.text)")
    }
}
