/// Feature code writes `?` placeholders (portable across engines); PostgreSQL numbers them (`$1`, `$2`, …). Question
/// marks inside string literals, quoted identifiers and comments are left alone.
enum PostgresPlaceholders {
    /// `sql` with each `?` placeholder numbered, and how many there were.
    static func numbered(_ sql: String) -> (sql: String, count: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: Character?
        var lineComment = false
        var previous: Character?
        for character in sql {
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
                count += 1
                out += "$\(count)"
            default:
                out.append(character)
            }
        }
        return (out, count)
    }
}
