import GatewayKit
import XCTest

/// The RFC 4180 reader every CSV import shares: records with the line each starts on, quoting, line endings, the
/// byte-order mark, and what it refuses (naming the line).
final class CSVRecordsTests: XCTestCase {
    private func records(_ text: String) throws -> [CSVRecords.Record] {
        try CSVRecords.parse(Array(text.utf8))
    }

    private func failure(_ bytes: [UInt8]) -> CSVRecords.Failure? {
        do {
            _ = try CSVRecords.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func testPlainRecordsWithTheirLines() throws {
        XCTAssertEqual(try records("a,b,c\n1,2,3\n"), [CSVRecords.Record(line: 1, fields: ["a", "b", "c"]),
                                                     CSVRecords.Record(line: 2, fields: ["1", "2", "3"])])
        XCTAssertEqual(try records("a,b\r\n1,\r\n"), [CSVRecords.Record(line: 1, fields: ["a", "b"]),
                                                    CSVRecords.Record(line: 2, fields: ["1", ""])],
                       "CRLF ends a line; an empty last field is kept")
        XCTAssertEqual(try records("a\n\n\nb"), [CSVRecords.Record(line: 1, fields: ["a"]),
                                                CSVRecords.Record(line: 4, fields: ["b"])],
                       "blank lines are skipped but counted; the last line needs no line end")
        XCTAssertEqual(try records(""), [])
    }

    func testQuotedFieldsHoldCommasQuotesAndLineEnds() throws {
        let text = "name,note\n\"Lee, Ben\",\"said \"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\ninside\"\nlast,\"\"\n"
        XCTAssertEqual(try records(text), [
            CSVRecords.Record(line: 1, fields: ["name", "note"]),
            CSVRecords.Record(line: 2, fields: ["Lee, Ben", #"said "hi""#]),
            CSVRecords.Record(line: 3, fields: ["two\nlines", "crlf\r\ninside"]),
            CSVRecords.Record(line: 6, fields: ["last", ""]),
        ], "a record starting after a quoted line end names the line it starts on")
        XCTAssertEqual(try records("\"a\"\r\n\"b\""), [CSVRecords.Record(line: 1, fields: ["a"]),
                                                    CSVRecords.Record(line: 2, fields: ["b"])])
    }

    func testUTF8WithOrWithoutAByteOrderMark() throws {
        let text = "région,ville\nÎle-de-France,\"Saint-Étienne\"\n"
        XCTAssertEqual(try CSVRecords.parse([0xEF, 0xBB, 0xBF] + Array(text.utf8)), try records(text))
        XCTAssertEqual(try records(text).first?.fields.first, "région", "the mark is not part of the first field")
    }

    func testWhatIsNotCSVIsRefusedNamingTheLine() {
        XCTAssertEqual(failure(Array("a,b\n\"open,c\nd".utf8))?.line, 2, "a quote never closed: the record's line")
        XCTAssertEqual(failure(Array("a\n\"x\"y\n".utf8)),
                       CSVRecords.Failure(line: 2, message: #"has text after a closing quote (a quote inside a quoted field is written "")"#))
        XCTAssertEqual(failure(Array("a\nb\"c\n".utf8))?.line, 2, "a quote inside an unquoted field")
        XCTAssertEqual(failure(Array("a\n".utf8) + [0x62, 0xFF, 0x0A]), CSVRecords.Failure(line: 2, message: "is not valid UTF-8"))
    }
}
