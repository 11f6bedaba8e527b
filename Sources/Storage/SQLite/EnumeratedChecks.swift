import Foundation

/// Keeps SQLite's `CHECK` constraints over enumerated text columns cheap to evaluate.
///
/// SQLite evaluates `status IN ('pending', 'applied', 'failed')` — a list of three or more constants — by building a
/// temporary b-tree of the list every time a statement checks a row (`OpenEphemeral`: a b-tree and a pager opened,
/// filled and closed), while the same test written `(status = 'pending' OR status = 'applied' OR …)` is a few
/// comparisons (`NOT IN` likewise, as `<>` joined by `AND`). On the inbox, outbox, ticket and timeline tables, which every webhook and every deal writes, that is a
/// few microseconds per row on the one writer thread, several times per delivery.
///
/// The migrations keep the readable `IN` form (they never change once shipped); after applying them, ``Migrator``
/// rewrites every table's stored definition to the equivalent `OR` form, once (an up-to-date schema has nothing
/// left to rewrite). The two forms accept and refuse the same rows — `NULL` passes both, the column's collation and
/// affinity apply to both — so no row is checked again. This uses SQLite's documented procedure for changing a
/// table's constraints without rebuilding it: the stored `CREATE TABLE` text is updated with `writable_schema` on
/// and the schema version is advanced, inside one transaction. Indexes keep their text: a partial index's `WHERE`
/// must stay as written for the planner to match queries to it. PostgreSQL evaluates `IN` lists without this cost.
enum EnumeratedChecks {
    /// `column [NOT] IN ('a', 'b', 'c', …)`: a bare or double-quoted column name and three or more string literals.
    private static let enumeration = try! NSRegularExpression(pattern: #"""
        ("[^"]+"|\b[A-Za-z_][A-Za-z0-9_]*)\s+(NOT\s+)?IN\s*\(\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*'){2,})\s*\)
        """#, options: [.caseInsensitive])
    private static let literal = try! NSRegularExpression(pattern: #"'(?:[^']|'')*'"#)

    /// Rewrites the tables whose stored definitions still hold an enumeration; returns their names (empty: nothing
    /// to do, nothing written). Must run outside a transaction; opens its own.
    @discardableResult
    static func rewrite(_ connection: SQLiteConnection) throws -> [String] {
        let changes = try connection.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '% IN %(%'"
        ).compactMap { row -> (name: String, sql: String)? in
            guard let name = row.string("name"), let sql = row.string("sql"), let rewritten = rewritten(sql)
            else { return nil }
            return (name, rewritten)
        }
        guard !changes.isEmpty else { return [] }
        try connection.transaction {
            let version = try connection.queryOne("PRAGMA schema_version", cached: false)?.int("schema_version") ?? 0
            try connection.execute("PRAGMA writable_schema = ON")
            defer { try? connection.execute("PRAGMA writable_schema = OFF") }
            for change in changes {
                try connection.run("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                                   [.text(change.sql), .text(change.name)])
            }
            // Every connection, this one included, reads the schema again before its next statement.
            try connection.execute("PRAGMA schema_version = \(version + 1)")
        }
        return changes.map(\.name)
    }

    /// `sql` with each enumeration written as comparisons: `IN` as equalities joined by `OR`, `NOT IN` as
    /// inequalities joined by `AND`; nil when it has none.
    static func rewritten(_ sql: String) -> String? {
        let text = sql as NSString
        var result = ""
        var copied = 0
        for match in enumeration.matches(in: sql, range: NSRange(location: 0, length: text.length)) {
            let column = text.substring(with: match.range(at: 1))
            // `(a + b) NOT IN (…)`: the word before `IN` is the operator's, not a column.
            guard column.uppercased() != "NOT" else { continue }
            let negated = match.range(at: 2).location != NSNotFound
            let list = text.substring(with: match.range(at: 3))
            let values = literal.matches(in: list, range: NSRange(location: 0, length: (list as NSString).length))
                .map { (list as NSString).substring(with: $0.range) }
            result += text.substring(with: NSRange(location: copied, length: match.range.location - copied))
            result += "(" + values.map { "\(column) \(negated ? "<>" : "=") \($0)" }
                .joined(separator: negated ? " AND " : " OR ") + ")"
            copied = match.range.location + match.range.length
        }
        guard copied > 0 else { return nil }
        return result + text.substring(from: copied)
    }
}
