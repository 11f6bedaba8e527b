import Foundation
import GatewayKit
import Storage

/// Compiles a ``SegmentRule`` into one set-based condition over every live customer — their profile, identifiers,
/// consent and the per-contact totals other modules publish as views — so an evaluation or a preview is one query,
/// never one per customer. Text compares case-insensitively; an empty value matches only `is_empty`; a field with
/// several values per customer (phones, emails, usernames) matches when any value does, and its negative operators
/// when the customer has values and none matches; dates are days in the org's time zone.
public struct SegmentQuery: Sendable {
    /// The per-contact views a condition may read beside the customer `p`, by alias.
    private static let joins: [(alias: String, sql: String)] = [
        ("tt", "LEFT JOIN contact_ticket_totals tt ON tt.contact_id = p.contact_id"),
        ("dt", "LEFT JOIN contact_deal_totals dt ON dt.contact_id = p.contact_id"),
        ("cs", "LEFT JOIN contact_csat cs ON cs.contact_id = p.contact_id"),
        ("mc", "LEFT JOIN customer_marketing_consent mc ON mc.customer_id = p.customer_id"),
    ]

    /// The tables `sql` (a condition or expression over them) reads: every live customer as `p`, joined only to the
    /// views it names — each is an aggregate over all of its records, so a rule on names alone never computes them.
    public static func from(for sql: String) -> String {
        "FROM customer_profiles p" + joins.filter { join in
            sql.range(of: "(^|[^A-Za-z0-9_])\(join.alias)\\.", options: .regularExpression) != nil
        }.map { "\n" + $0.sql }.joined()
    }

    /// Unix ms of the evaluation: relative dates and "days since" are counted from it.
    let now: Int64
    /// Midnight of a date in the org's time zone.
    let days: DailySchedule
    let timeZone: TimeZone
    /// Where each field's values are.
    let catalogue: SegmentCatalogue

    public init(now: Int64, timeZone: TimeZone, catalogue: SegmentCatalogue) {
        self.now = now
        self.timeZone = timeZone
        self.catalogue = catalogue
        days = DailySchedule(minuteOfDay: 0, timeZone: timeZone)
    }

    /// A field's expression at the evaluation's time: `{now}` in unix ms, `{today}` as the org's `YYYY-MM-DD`.
    func filled(_ expression: String) -> String {
        expression.replacingOccurrences(of: "{now}", with: String(now))
            .replacingOccurrences(of: "{today}", with: CalendarDate(unixMillis: now, in: timeZone).description)
    }

    /// The rule as a `WHERE` condition on ``from``.
    public func condition(_ rule: SegmentRule) -> SQLCondition {
        join(rule.groups.map { group in join(group.filters.map(filter), rule: group.logic) }, rule: rule.logic)
    }

    private func join(_ parts: [SQLCondition], rule logic: SegmentRule.Logic) -> SQLCondition {
        SQLCondition(sql: "(" + parts.map(\.sql).joined(separator: logic == .and ? " AND " : " OR ") + ")",
                     parameters: parts.flatMap(\.parameters))
    }

    private func filter(_ filter: SegmentRule.Filter) -> SQLCondition {
        guard let field = catalogue.field(filter.field) else { return SQLCondition(sql: "FALSE", parameters: []) }
        switch field.source {
        case .column(let expression):
            return compare(filled(expression), field, filter)
        case .identifiers(let kind):
            return anyValue(of: "customer_identifier_values v WHERE v.customer_id = p.customer_id AND v.kind = '\(kind)'",
                            "v.value", field, filter)
        case .association(let view, let column):
            return anyValue(of: "\(view) v WHERE v.customer_id = p.customer_id", "v.\(column)", field, filter,
                            stringDates: false)
        case .contactField(let key, let url):
            let values = "customer_custom_values v WHERE v.customer_id = p.customer_id AND v.field_key = '"
                + key.replacingOccurrences(of: "'", with: "''") + "'"
            switch filter.op {
            case .containsAny, .containsAll:
                let picked = (filter.value.arrayValue ?? []).compactMap(\.stringValue)
                let set = SQLCondition.membership("v.value", picked)
                if filter.op == .containsAny {
                    return SQLCondition(sql: "EXISTS (SELECT 1 FROM \(values) AND \(set.sql))", parameters: set.parameters)
                }
                return SQLCondition(sql: "(SELECT count(DISTINCT v.value) FROM \(values) AND \(set.sql)) = \(Set(picked).count)",
                                    parameters: set.parameters)
            default:
                let column = [.number, .percentage].contains(field.type) ? "v.number"
                    : url && !(filter.value.stringValue ?? "").contains("://")
                    ? "replace(replace(lower(v.value), 'https://', ''), 'http://', '')" : "v.value"
                return anyValue(of: values, column, field, filter)
            }
        }
    }

    /// A field with several values per customer (in `table`, its rows for the customer): matched when any value
    /// matches; its negative operators when the customer has values and none matches the positive one. A record
    /// whose value is null or empty text (a ticket without a pipeline) has no value.
    /// Dates are `YYYY-MM-DD` texts unless `stringDates` is false (unix ms).
    private func anyValue(of table: String, _ column: String, _ field: SegmentField,
                          _ filter: SegmentRule.Filter, stringDates: Bool = true) -> SQLCondition {
        // Only a text can be empty (PostgreSQL compares a number with '' as an error, not as unequal).
        let holdsText = field.type == .text || (field.type == .date && stringDates)
        func exists(_ condition: String?) -> String {
            "EXISTS (SELECT 1 FROM \(table) AND \(column) IS NOT NULL" + (holdsText ? " AND \(column) <> ''" : "")
                + (condition.map { " AND (\($0))" } ?? "") + ")"
        }
        let positive: [SegmentOperator: SegmentOperator] = [.isNot: .is, .doesNotContain: .contains,
                                                           .notEquals: .equals, .notOn: .on]
        switch filter.op {
        case .isEmpty: return SQLCondition(sql: "NOT " + exists(nil), parameters: [])
        case .isNotEmpty: return SQLCondition(sql: exists(nil), parameters: [])
        case let op where positive[op] != nil:
            let match = compare(column, field, SegmentRule.Filter(field: filter.field, op: positive[op]!,
                                                                  value: filter.value), stringDates: stringDates)
            return SQLCondition(sql: "(" + exists(nil) + " AND NOT " + exists(match.sql) + ")", parameters: match.parameters)
        default:
            let match = compare(column, field, filter, stringDates: stringDates)
            return SQLCondition(sql: exists(match.sql), parameters: match.parameters)
        }
    }

    /// `expression` (one value) against the filter; with `stringDates` dates are `YYYY-MM-DD` texts (contact
    /// fields), else unix ms.
    private func compare(_ e: String, _ field: SegmentField, _ filter: SegmentRule.Filter,
                         stringDates: Bool = false) -> SQLCondition {
        let op = filter.op
        switch field.type {
        case .text: return text(e, op, Self.textValue(filter.value, field))
        case .number, .percentage: return number(e, op, filter.value)
        case .date where stringDates: return dateText(e, op, filter.value)
        case .date: return date(e, op, filter.value)
        case .boolean:
            switch op {
            case .isEmpty: return SQLCondition(sql: "\(e) IS NULL", parameters: [])
            case .isNotEmpty: return SQLCondition(sql: "\(e) IS NOT NULL", parameters: [])
            default: return SQLCondition(sql: "\(e) = ?", parameters: [.integer(filter.value.boolValue == true ? 1 : 0)])
            }
        }
    }

    private func text(_ e: String, _ op: SegmentOperator, _ value: String) -> SQLCondition {
        let present = "(\(e) IS NOT NULL AND \(e) <> '')"
        let v = SQLValue.text(value.lowercased())
        switch op {
        case .isEmpty: return SQLCondition(sql: "(\(e) IS NULL OR \(e) = '')", parameters: [])
        case .isNotEmpty: return SQLCondition(sql: present, parameters: [])
        case .is: return SQLCondition(sql: "lower(\(e)) = ?", parameters: [v])
        case .isNot: return SQLCondition(sql: "\(present) AND lower(\(e)) <> ?", parameters: [v])
        case .contains: return SQLCondition(sql: "instr(lower(\(e)), ?) > 0", parameters: [v])
        case .doesNotContain: return SQLCondition(sql: "\(present) AND instr(lower(\(e)), ?) = 0", parameters: [v])
        case .startsWith: return SQLCondition(sql: "substr(lower(\(e)), 1, length(?)) = ?", parameters: [v, v])
        case .endsWith:
            // Counted from the start: a negative start counts from the end on SQLite only.
            return SQLCondition(sql: "substr(lower(\(e)), length(\(e)) - length(?) + 1) = ?", parameters: [v, v])
        default: return SQLCondition(sql: "FALSE", parameters: [])
        }
    }

    private func number(_ e: String, _ op: SegmentOperator, _ value: JSONValue) -> SQLCondition {
        func n(_ v: JSONValue?) -> SQLValue { .real(v?.doubleValue ?? 0) }
        switch op {
        case .isEmpty: return SQLCondition(sql: "\(e) IS NULL", parameters: [])
        case .isNotEmpty: return SQLCondition(sql: "\(e) IS NOT NULL", parameters: [])
        case .equals: return SQLCondition(sql: "\(e) = ?", parameters: [n(value)])
        case .notEquals: return SQLCondition(sql: "\(e) IS NOT NULL AND \(e) <> ?", parameters: [n(value)])
        case .greaterThan: return SQLCondition(sql: "\(e) > ?", parameters: [n(value)])
        case .lessThan: return SQLCondition(sql: "\(e) < ?", parameters: [n(value)])
        case .between:
            return SQLCondition(sql: "\(e) BETWEEN ? AND ?", parameters: [n(value.arrayValue?.first),
                                                                         n(value.arrayValue?.last)])
        default: return SQLCondition(sql: "FALSE", parameters: [])
        }
    }

    private func date(_ e: String, _ op: SegmentOperator, _ value: JSONValue) -> SQLCondition {
        /// Midnight starting `text`'s day, and the next one.
        func day(_ v: JSONValue?) -> (start: SQLValue, end: SQLValue) {
            let date = v?.stringValue.flatMap { CalendarDate($0) } ?? CalendarDate(daysSinceEpoch: 0)
            return (.integer(days.slot(on: date)), .integer(days.slot(on: date.adding(days: 1))))
        }
        switch op {
        case .isEmpty: return SQLCondition(sql: "\(e) IS NULL", parameters: [])
        case .isNotEmpty: return SQLCondition(sql: "\(e) IS NOT NULL", parameters: [])
        case .on:
            let d = day(value)
            return SQLCondition(sql: "(\(e) >= ? AND \(e) < ?)", parameters: [d.start, d.end])
        case .notOn:
            let d = day(value)
            return SQLCondition(sql: "(\(e) IS NOT NULL AND (\(e) < ? OR \(e) >= ?))", parameters: [d.start, d.end])
        case .before: return SQLCondition(sql: "\(e) < ?", parameters: [day(value).start])
        case .after: return SQLCondition(sql: "\(e) >= ?", parameters: [day(value).end])
        case .between:
            return SQLCondition(sql: "(\(e) >= ? AND \(e) < ?)", parameters: [day(value.arrayValue?.first).start,
                                                                            day(value.arrayValue?.last).end])
        case .inTheLastDays:
            let since = now - (value.int64Value ?? 0) * 86_400_000
            return SQLCondition(sql: "(\(e) >= ? AND \(e) <= ?)", parameters: [.integer(since), .integer(now)])
        default: return SQLCondition(sql: "FALSE", parameters: [])
        }
    }

    /// A date held as `YYYY-MM-DD` text against the filter (days compare as texts).
    private func dateText(_ e: String, _ op: SegmentOperator, _ value: JSONValue) -> SQLCondition {
        func day(_ v: JSONValue?) -> SQLValue { .text(v?.stringValue ?? "") }
        switch op {
        case .on: return SQLCondition(sql: "\(e) = ?", parameters: [day(value)])
        case .before: return SQLCondition(sql: "\(e) < ?", parameters: [day(value)])
        case .after: return SQLCondition(sql: "\(e) > ?", parameters: [day(value)])
        case .between:
            return SQLCondition(sql: "\(e) BETWEEN ? AND ?", parameters: [day(value.arrayValue?.first),
                                                                          day(value.arrayValue?.last)])
        case .inTheLastDays:
            let today = CalendarDate(unixMillis: now, in: timeZone)
            let since = today.adding(days: -Int(value.int64Value ?? 0))
            return SQLCondition(sql: "\(e) BETWEEN ? AND ?", parameters: [.text(since.description), .text(today.description)])
        default: return SQLCondition(sql: "FALSE", parameters: [])
        }
    }

    /// A phone is compared as its digits (how it is stored), whatever the caller typed around them.
    private static func textValue(_ value: JSONValue, _ field: SegmentField) -> String {
        let text = value.stringValue ?? ""
        guard field.key == "phone_number" else { return text }
        return String(text.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.map(Character.init))
    }
}
