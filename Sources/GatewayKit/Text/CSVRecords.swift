/// Splits RFC 4180 CSV text into records of fields, remembering the line each record starts on so errors can name
/// it. Fields are separated by `,`; a field may be quoted (`"a, b"`, `""` for a quote inside, newlines allowed).
/// Lines end in LF or CRLF; a UTF-8 byte-order mark is skipped; blank lines are skipped. Works on bytes: an import
/// of 100,000 rows should not spend its time in `Character` handling. Shared by every CSV import (POS outlets, contact
/// field values); what the columns mean is each reader's business.
public struct CSVRecords {
    public struct Record: Sendable, Equatable {
        /// 1-based line the record starts on.
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Why the text is not CSV, with the line where it went wrong.
    public struct Failure: Error, Equatable {
        public let line: Int
        public let message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var quoted = false
        var fieldWasQuoted = false

        func finishField() throws(Failure) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Failure(line: line, message: "is not valid UTF-8")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws(Failure) {
            try finishField()
            // A blank line is one empty unquoted field: skip it rather than report a record of one column.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                switch byte {
                case UInt8(ascii: "\""):
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                case UInt8(ascii: "\n"):
                    line += 1
                    field.append(byte)
                default:
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\n"):
                if field.last == UInt8(ascii: "\r") && !fieldWasQuoted { field.removeLast() }
                try finishRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\r") where fieldWasQuoted:
                break  // the CR of a CRLF after a closing quote
            case UInt8(ascii: "\"") where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            default:
                if fieldWasQuoted {
                    throw Failure(line: line, message: "has text after a closing quote (a quote inside a quoted "
                                  + "field is written \"\")")
                }
                if byte == UInt8(ascii: "\"") {
                    throw Failure(line: line, message: "has a quote inside an unquoted field (quote the whole field)")
                }
                field.append(byte)
            }
        }
        guard !quoted else { throw Failure(line: recordLine, message: "has a quoted field that is never closed") }
        if field.last == UInt8(ascii: "\r") && !fieldWasQuoted { field.removeLast() }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try finishRecord() }
        return records
    }
}
