/// Writes RFC 4180 CSV as UTF-8 bytes, the counterpart of ``CSVRecords``: fields separated by `,`, records ended by
/// CRLF, a field quoted when it holds `,`, `"`, CR or LF (a quote inside doubled), and optionally a byte-order mark
/// first so spreadsheet programs read the file as UTF-8.
///
/// Text cells are values people typed (message text, names, comments): a spreadsheet would run one that starts with
/// `=`, `+`, `-`, `@`, tab or CR as a formula (CSV injection), so such a cell is written with a leading `'`, which
/// spreadsheets show as text. Number and time cells are not neutralized: they hold only what the exporter itself
/// writes (an id, a count, a negative amount, an RFC 3339 time), never a user's text, and a `-12` must stay a number
/// a spreadsheet can sum. A column is a number column only when every value in it comes from the exporter's own
/// arithmetic or an integer column of the store.
///
/// The output accumulates in ``output``; a streaming exporter takes it (``takeOutput()``) after each batch, so the
/// writer holds one batch at a time.
public struct CSVWriter: Sendable {
    public private(set) var output: [UInt8] = []
    private var atRecordStart = true

    /// The UTF-8 byte-order mark spreadsheet programs look for.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// - Parameter byteOrderMark: begin the output with the UTF-8 byte-order mark.
    public init(byteOrderMark: Bool = false) {
        if byteOrderMark { output = Self.byteOrderMark }
    }

    /// Hands over what was written so far and starts empty.
    public mutating func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// A record of text cells (a header line), ended.
    public mutating func record(_ texts: [String]) {
        for text in texts { self.text(text) }
        endRecord()
    }

    /// A cell from user input: neutralized when a spreadsheet would read it as a formula, quoted when needed; nil is
    /// an empty cell.
    public mutating func text(_ value: String?) {
        separate()
        guard var value else { return }
        value.withUTF8 { bytes in
            let formula = bytes.first.map(Self.formulaStarts.contains) ?? false
            if bytes.contains(where: Self.needsQuotes) {
                output.append(UInt8(ascii: "\""))
                if formula { output.append(UInt8(ascii: "'")) }
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { output.append(byte) }
                    output.append(byte)
                }
                output.append(UInt8(ascii: "\""))
            } else {
                if formula { output.append(UInt8(ascii: "'")) }
                output.append(contentsOf: bytes)
            }
        }
    }

    /// A number the exporter wrote (an id, a count): as is, never neutralized; nil is an empty cell.
    public mutating func number(_ value: Int64?) {
        separate()
        guard let value else { return }
        output.append(contentsOf: String(value).utf8)
    }

    /// A fractional number the exporter computed (an average, an amount): as is, never neutralized; nil is empty.
    public mutating func decimal(_ value: Double?) {
        separate()
        guard let value else { return }
        output.append(contentsOf: String(value).utf8)
    }

    /// A time given in unix milliseconds, as RFC 3339 UTC (`2026-11-01T08:30:00.000Z`); nil is an empty cell.
    public mutating func time(_ millis: Int64?) {
        separate()
        guard let millis else { return }
        output.append(contentsOf: Timestamps.rfc3339(millis).utf8)
    }

    /// Ends the current record with CRLF.
    public mutating func endRecord() {
        output.append(UInt8(ascii: "\r"))
        output.append(UInt8(ascii: "\n"))
        atRecordStart = true
    }

    private mutating func separate() {
        if atRecordStart {
            atRecordStart = false
        } else {
            output.append(UInt8(ascii: ","))
        }
    }

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }

    /// First bytes that make a spreadsheet evaluate a cell: `=`, `+`, `-`, `@`, tab, CR.
    private static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
}
