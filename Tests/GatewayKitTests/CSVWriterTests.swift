import GatewayKit
import XCTest

/// The CSV writer: exact bytes for the quoting and neutralizing rules, and round trips through ``CSVRecords`` (what
/// the gateway's own imports read) for the awkward cells.
final class CSVWriterTests: XCTestCase {
    func testQuotesOnlyWhatNeedsItAndEndsRecordsWithCRLF() {
        var writer = CSVWriter()
        writer.record(["id", "text"])
        writer.number(7)
        writer.text("plain")
        writer.endRecord()
        writer.number(8)
        writer.text("a, \"b\"\nc\r")
        writer.endRecord()
        XCTAssertEqual(String(decoding: writer.output, as: UTF8.self),
                       "id,text\r\n7,plain\r\n8,\"a, \"\"b\"\"\nc\r\"\r\n")
    }

    func testFormulaStartsAreNeutralizedInTextCellsOnly() {
        var writer = CSVWriter()
        for start in ["=", "+", "-", "@", "\t", "\r"] { writer.text(start + "1+1") }
        writer.number(-12)
        writer.text(nil)
        writer.text("a=b")
        writer.endRecord()
        XCTAssertEqual(String(decoding: writer.output, as: UTF8.self),
                       "'=1+1,'+1+1,'-1+1,'@1+1,'\t1+1,\"'\r1+1\",-12,,a=b\r\n")
    }

    func testByteOrderMarkAndTimes() {
        var writer = CSVWriter(byteOrderMark: true)
        writer.time(1_793_520_000_123)
        writer.time(nil)
        writer.endRecord()
        XCTAssertEqual(writer.output, CSVWriter.byteOrderMark + Array("2026-11-01T08:00:00.123Z,\r\n".utf8))
        XCTAssertEqual(writer.takeOutput().count, 3 + 27)
        XCTAssertEqual(writer.output, [], "taking the output starts the writer empty")
    }

    func testAwkwardCellsRoundTripThroughTheReader() throws {
        let cells = [
            "=HYPERLINK(\"http://evil.example\",\"click\")", "say \"hi\"", "two\nlines", "crlf\r\ninside",
            "comma, inside", "Selamat pagi — 你好 🙂", "", " spaced ", "-5 off", "@mention", "\ttabbed",
        ]
        var writer = CSVWriter(byteOrderMark: true)
        writer.record(["n", "cell"])
        for (index, cell) in cells.enumerated() {
            writer.number(Int64(index))
            writer.text(cell)
            writer.endRecord()
        }
        let records = try CSVRecords.parse(writer.output)
        XCTAssertEqual(records.first?.fields, ["n", "cell"])
        XCTAssertEqual(records.count, cells.count + 1)
        for (record, cell) in zip(records.dropFirst(), cells) {
            let neutralized = ["=", "+", "-", "@", "\t", "\r"].contains { cell.hasPrefix($0) }
            XCTAssertEqual(record.fields.last, neutralized ? "'" + cell : cell)
        }
    }
}
