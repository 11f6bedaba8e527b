import GatewayKit

/// A figure's rows as a CSV table (`/v1/analytics/{figure}.csv`): one record per row of the JSON answer, the same
/// numbers under the same definitions. Nested figures become columns joined with `_` (`frt_median_seconds`,
/// `distribution_5`, `ages_over_3d`); a list of months becomes one column per month (`tickets_2026-11-01`). The
/// period and the grouping come first, then the other columns in name order; values from users (a category, an
/// agent's name) are written as text cells, neutralized against formulas.
public enum AnalyticsCSV {
    public static func table(_ answer: JSONValue, byteOrderMark: Bool) -> [UInt8] {
        let grouping = (answer["group_by"]?.arrayValue ?? []).compactMap(\.stringValue)
            .filter { AnalyticsQuery.Grain(rawValue: $0) == nil }
        let rows = (answer["rows"]?.arrayValue ?? []).map { row -> [(String, JSONValue)] in
            var cells: [(String, JSONValue)] = []
            flatten(row, prefix: "", into: &cells)
            return cells
        }
        let grain = (answer["group_by"]?.arrayValue ?? []).contains { AnalyticsQuery.Grain(rawValue: $0.stringValue ?? "") != nil }
        let leading = ["period", "at"] + grouping
        var names: [String] = []
        for row in rows { for (name, _) in row where !names.contains(name) { names.append(name) } }
        if rows.isEmpty {
            // No rows: the columns a row would have, from the totals (or the backlog now), so the file has its header.
            var cells: [(String, JSONValue)] = []
            flatten(answer["totals"] ?? answer["now"] ?? .null, prefix: "", into: &cells)
            names = (grain ? ["period"] : []) + grouping + cells.map(\.0).filter { !$0.hasPrefix("by_source") }
        }
        let columns = leading.filter(names.contains) + names.filter { !leading.contains($0) }.sorted()
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        writer.record(columns)
        for row in rows {
            let values = Dictionary(row, uniquingKeysWith: { a, _ in a })
            for column in columns {
                switch values[column] ?? .null {
                case .integer(let number): writer.number(number)
                case .number(let number): writer.decimal(number)
                case .bool(let flag): writer.number(flag ? 1 : 0)
                case .string(let text): writer.text(text)
                default: writer.text(nil)
                }
            }
            writer.endRecord()
        }
        return writer.takeOutput()
    }

    private static func flatten(_ value: JSONValue, prefix: String, into cells: inout [(String, JSONValue)]) {
        switch value {
        case .object(let members):
            for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : "\(prefix)_\(key)", into: &cells) }
        case .array(let items):
            // A list of months, `[{"month": "2026-11-01", "tickets": 3}]`: a column per month.
            for item in items {
                guard let label = item["month"]?.stringValue, case .object(let members) = item else { continue }
                for (key, member) in members where key != "month" { cells.append(("\(key)_\(label)", member)) }
            }
        default:
            cells.append((prefix, value))
        }
    }
}
