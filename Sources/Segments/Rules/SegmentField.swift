import Storage

/// A field segments filter on: its wire key, label, type and operators, and where its value comes from in the
/// evaluation query (an expression over the customer's profile and totals, or a set of values per customer, matched
/// if any value matches).
public struct SegmentField: Sendable {
    public enum FieldType: String, Sendable {
        case text, number, percentage, date, boolean
    }

    /// Where the evaluation reads the value.
    enum Source: Sendable {
        /// One value per customer: an SQL expression over the evaluation query's tables (`p.`, `tt.`, `dt.`, `cs.`, `mc.`).
        case column(String)
        /// Several values per customer in `customer_identifier_values` of this kind; a filter matches when any does.
        case identifiers(kind: String)
        /// Several values per customer: `column` of the rows of view `view` (keyed by `customer_id`; dates in unix
        /// ms), one row per associated record; a filter matches when any record does (the seeds' ANY-match).
        case association(view: String, column: String)
        /// Contact field `key` (built-in or the organisation's own) in `customer_custom_values` (text, with `number`
        /// for numbers; dates as `YYYY-MM-DD`); a filter matches when any value does.
        case contactField(key: String, url: Bool)
    }

    public let key: String
    public let label: String
    public let type: FieldType
    public let operators: [SegmentOperator]
    let source: Source

    /// Dates held in unix ms (every date field here); numbers as numbers.
    init(_ key: String, _ label: String, _ type: FieldType, _ operators: [SegmentOperator], _ source: Source) {
        self.key = key
        self.label = label
        self.type = type
        self.operators = operators
        self.source = source
    }

}

/// The fields segments can use today: the customer's own attributes, their marketing consent, and totals and metrics
/// over their conversations, tickets, deals and CSAT answers (what the gateway itself holds). Keys are the snake_case of
/// the seeds' labels.
public enum SegmentFields {
    /// Whole days since `column` (unix ms) at the evaluation's time (`{now}`, filled in by the query compiler).
    /// The customer's value of built-in contact field `key` (one value), or null.
    private static func builtIn(_ key: String) -> String {
        "(SELECT min(v.value) FROM customer_custom_values v WHERE v.customer_id = p.customer_id AND v.field_key = '\(key)')"
    }

    static func daysSince(_ column: String) -> String { "(({now} - \(column)) / 86400000)" }

    public static let all: [SegmentField] = [
        SegmentField("customer_id", "Customer ID", .text, SegmentOperator.text, .column("p.contact_id")),
        SegmentField("full_name", "Full name", .text, SegmentOperator.text, .column("p.full_name")),
        SegmentField("phone_number", "Phone number", .text, SegmentOperator.text, .identifiers(kind: "phone")),
        SegmentField("email", "Email", .text, SegmentOperator.text, .identifiers(kind: "email")),
        SegmentField("username", "Username(s)", .text, SegmentOperator.text, .identifiers(kind: "username")),
        SegmentField("created_at", "Customer created at", .date, SegmentOperator.date, .column("p.created_at")),
        SegmentField("last_updated_at", "Customer last updated at", .date, SegmentOperator.date,
                     .column("p.updated_at")),
        SegmentField("marketing_opt_in_status", "Marketing opt-in status", .boolean, SegmentOperator.boolean,
                     .column("mc.opted_in")),
        SegmentField("marketing_opt_in_at", "Marketing opt-in at", .date, SegmentOperator.date, .column("mc.changed_at")),
        SegmentField("conversations.total", "Total conversations", .number, SegmentOperator.number,
                     .column("coalesce(tt.conversations, 0)")),
        SegmentField("conversations.last_activity_at", "Conversation last activity at", .date, SegmentOperator.date,
                     .column("tt.last_conversation_at")),
        SegmentField("tickets.total", "Total tickets created", .number, SegmentOperator.count,
                     .column("coalesce(tt.tickets, 0)")),
        SegmentField("tickets.last_updated_at", "Ticket last update at", .date, SegmentOperator.date,
                     .column("tt.last_ticket_update_at")),
        SegmentField("tickets.resolution_rate", "Resolution rate", .percentage, SegmentOperator.percentage,
                     .column("(100.0 * tt.resolved / tt.tickets)")),
        SegmentField("tickets.sla_breach_count", "SLA breach count", .number, SegmentOperator.count,
                     .column("coalesce(tt.sla_breaches, 0)")),
        SegmentField("deals.total", "Total deals created", .number, SegmentOperator.count,
                     .column("coalesce(dt.deals, 0)")),
        SegmentField("deals.total_size", "Total deal size", .number, SegmentOperator.number, .column("dt.total_size")),
        SegmentField("csat.average", "Avg CSAT score", .number, SegmentOperator.score, .column("cs.average")),
        SegmentField("days_since_last_conversation", "Days since last conversation", .number, SegmentOperator.measure,
                     .column(daysSince("tt.last_conversation_at"))),
        SegmentField("days_since_last_activity", "Days since last activity (any module)", .number,
                     SegmentOperator.measure, .column(daysSince("""
                        CASE WHEN p.updated_at > coalesce(tt.last_ticket_update_at, 0) THEN p.updated_at
                             ELSE coalesce(tt.last_ticket_update_at, 0) END
                        """))),
        SegmentField("days_since_last_order", "Days since last order / purchase", .number, SegmentOperator.measure,
                     .column("CAST(julianday('{today}') - julianday(\(builtIn("last_order_date"))) AS INTEGER)")),
        SegmentField("is_loyalty_member", "Is loyalty member", .boolean, SegmentOperator.boolean,
                     .column("""
                         CASE WHEN \(builtIn("loyalty_tier")) IS NOT NULL OR \(builtIn("loyalty_member_since")) IS NOT NULL
                         THEN 1 ELSE 0 END
                         """)),
        SegmentField("customer_tenure_days", "Customer tenure (days since created)", .number, SegmentOperator.range,
                     .column(daysSince("p.created_at"))),
    ] + associations + campaigns

    public static let byKey: [String: SegmentField] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
}

/// The fields a segment may use now: the built-in ones, the built-in contact fields under their own keys (`sex`,
/// `lifetime_value`, …) and, as `custom.<key>`, the organisation's own contact fields (all read from the
/// `contact_field_definitions` view), each typed as its field type asks.
public struct SegmentCatalogue: Sendable {
    public let fields: [SegmentField]
    private let byKey: [String: SegmentField]

    public init(contactFields: [SegmentField] = []) {
        fields = SegmentFields.all + contactFields
        byKey = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func field(_ key: String) -> SegmentField? { byKey[key] }

    /// The catalogue as the store holds it now.
    public static func load(in c: any DatabaseConnection) throws -> SegmentCatalogue {
        SegmentCatalogue(contactFields: try c.query("""
            SELECT key, label, type, built_in FROM contact_field_definitions ORDER BY built_in DESC, key
            """).compactMap { row in
                guard let key = row.string("key"), let type = row.string("type") else { return nil }
                return contactField(key, row.string("label") ?? key, type, builtIn: row.int64("built_in") == 1)
            })
    }

    /// A contact field as a segment field: typed and offered the operators its field type has (the custom-field
    /// operator table), except where a built-in field's own list differs (``BuiltInFieldOperators``).
    static func contactField(_ key: String, _ label: String, _ type: String, builtIn: Bool) -> SegmentField? {
        let source = SegmentField.Source.contactField(key: key, url: type == "url")
        var (fieldType, operators): (SegmentField.FieldType, [SegmentOperator])
        switch type {
        case "single_line_text", "url", "gps": (fieldType, operators) = (.text, SegmentOperator.text)
        case "multi_line_text": (fieldType, operators) = (.text, SegmentOperator.longText)
        case "dropdown": (fieldType, operators) = (.text, SegmentOperator.choice)
        case "multi_select": (fieldType, operators) = (.text, SegmentOperator.selection)
        case "number": (fieldType, operators) = (.number, SegmentOperator.number)
        case "date": (fieldType, operators) = (.date, SegmentOperator.date)
        case "file", "signature": (fieldType, operators) = (.text, SegmentOperator.presence)
        default: return nil
        }
        guard builtIn else { return SegmentField("custom.\(key)", label, fieldType, operators, source) }
        if let own = BuiltInFieldOperators.byKey[key] { (fieldType, operators) = own }
        return SegmentField(key, label, fieldType, operators, source)
    }
}
