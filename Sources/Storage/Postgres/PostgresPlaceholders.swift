/// Feature code writes `?` placeholders (portable across engines), or SQLite's numbered `?NNN` where a statement uses
/// a value twice; PostgreSQL numbers them (`$1`, `$2`, …). A plain `?` takes the number after the largest so far, as
/// in SQLite. Question marks inside string literals, quoted identifiers and comments are left alone.
enum PostgresPlaceholders {
    /// `sql` with each placeholder numbered, and how many values it takes (the largest number).
    static func numbered(_ sql: String) -> (sql: String, count: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: Character?
        var lineComment = false
        var previous: Character?
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            defer { previous = character }
            if lineComment {
                out.append(character)
                if character == "\n" { lineComment = false }
                continue
            }
            if let open = quote {
                out.append(character)
                if character == open { quote = nil }  // a doubled quote closes and reopens: same result
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                out.append(character)
            case "-" where previous == "-":
                lineComment = true
                out.append(character)
            case "?":
                var digits = ""
                while let digit = pending, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    pending = characters.next()
                }
                let number = Int(digits) ?? count + 1
                count = max(count, number)
                out += "$\(number)"
            default:
                out.append(character)
            }
        }
        return (out, count)
    }
}
