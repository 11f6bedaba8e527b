/// The outbox stores a message's extra headers as `Name: value` lines: header values cannot contain line breaks
/// (checked at enqueue), so the text form is unambiguous and cheaper to read back per delivery than JSON.
enum OutboxHeaderLines {
    static func encode(_ headers: [(String, String)]) -> String {
        headers.map { "\($0.0): \($0.1)\n" }.joined()
    }

    static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            return (String(line[..<colon]), String(value))
        }
    }
}
