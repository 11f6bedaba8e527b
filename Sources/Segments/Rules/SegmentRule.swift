import GatewayKit

/// A segment's rule as the API writes it: `{"logic": "and"|"or", "groups": [{"logic", "filters": [{"field",
/// "operator", "value"}]}]}` — at most two groups, at most three filters per group (the seeds' limits), one value per
/// filter (two for `between`, none for the empty tests). Checked against the field catalogue when read, every problem
/// named by its path (`groups[1].filters[2].value`).
public struct SegmentRule: Sendable, Equatable {
    public enum Logic: String, Sendable { case and, or }

    public struct Filter: Sendable, Equatable {
        public let field: String
        public let op: SegmentOperator
        public let value: JSONValue
    }

    public struct Group: Sendable, Equatable {
        public let logic: Logic
        public let filters: [Filter]
    }

    public static let maxGroups = 2
    public static let maxFilters = 3

    public let logic: Logic
    public let groups: [Group]

    /// The rule as stored and shown.
    public var json: JSONValue {
        ["logic": .string(logic.rawValue), "groups": .array(groups.map { group in
            ["logic": .string(group.logic.rawValue), "filters": .array(group.filters.map { filter in
                ["field": .string(filter.field), "operator": .string(filter.op.rawValue), "value": filter.value]
            })]
        })]
    }

    /// Reads `object` (the body's `logic` and `groups`); field errors go to `v` under their paths.
    static func read(_ object: [String: JSONValue], catalogue: SegmentCatalogue,
                     into v: inout FieldValidator) -> SegmentRule? {
        let logic = Logic(rawValue: v.optionalEnum("logic", ["and", "or"]) ?? "and") ?? .and
        guard let groups = v.requiredArray("groups") else { return nil }
        guard (1...maxGroups).contains(groups.count) else {
            v.fail("groups", "must have 1 to \(maxGroups) groups")
            return nil
        }
        var read: [Group] = []
        for (g, item) in groups.enumerated() {
            guard let group = item.objectValue else { v.fail("groups[\(g)]", "must be an object"); continue }
            var gv = FieldValidator(group, prefix: "groups[\(g)]")
            gv.rejectUnknownKeys(allowed: ["logic", "filters"])
            let groupLogic = Logic(rawValue: gv.optionalEnum("logic", ["and", "or"]) ?? "and") ?? .and
            var filters: [Filter] = []
            if let items = gv.requiredArray("filters") {
                if !(1...maxFilters).contains(items.count) {
                    gv.fail("filters", "must have 1 to \(maxFilters) filters")
                } else {
                    for (f, raw) in items.enumerated() {
                        if let filter = Self.filter(raw, path: "groups[\(g)].filters[\(f)]", catalogue: catalogue,
                                                    into: &gv) {
                            filters.append(filter)
                        }
                    }
                }
            }
            v.merge(gv)
            read.append(Group(logic: groupLogic, filters: filters))
        }
        return SegmentRule(logic: logic, groups: read)
    }

    private static func filter(_ raw: JSONValue, path: String, catalogue: SegmentCatalogue,
                               into parent: inout FieldValidator) -> Filter? {
        guard let object = raw.objectValue else { parent.merge([FieldError(field: path, message: "must be an object")]); return nil }
        var v = FieldValidator(object, prefix: path)
        v.rejectUnknownKeys(allowed: ["field", "operator", "value"])
        defer { parent.merge(v) }
        guard let key = v.requiredString("field") else { return nil }
        guard let field = catalogue.field(key) else {
            v.fail("field", "is not a segment field (GET /v1/segments/fields lists them)")
            return nil
        }
        guard let name = v.requiredString("operator") else { return nil }
        guard let op = SegmentOperator(rawValue: name), field.operators.contains(op) else {
            v.fail("operator", "must be one of \(field.operators.map(\.rawValue).joined(separator: ", ")) for \(key)")
            return nil
        }
        let value = object["value"] ?? .null
        if let problem = Self.problem(with: value, for: field, op) {
            v.fail("value", problem)
            return nil
        }
        return Filter(field: key, op: op, value: value)
    }

    /// Why `value` does not suit `op` on `field`, or nil when it does.
    static func problem(with value: JSONValue, for field: SegmentField, _ op: SegmentOperator) -> String? {
        switch op.valueShape {
        case .none: return value.isNull ? nil : "must be left out for \(op.rawValue)"
        case .days:
            guard let days = value.int64Value, (1...36_500).contains(days) else { return "must be a number of days (1–36500)" }
            return nil
        case .two:
            guard let pair = value.arrayValue, pair.count == 2 else { return "must be an array of two values (low, high)" }
            return single(pair[0], field) ?? single(pair[1], field)
        case .one: return single(value, field)
        case .several:
            guard let items = value.arrayValue, (1...50).contains(items.count) else {
                return "must be an array of 1 to 50 values"
            }
            return items.lazy.compactMap { single($0, field) }.first
        }
    }

    private static func single(_ value: JSONValue, _ field: SegmentField) -> String? {
        switch field.type {
        case .text:
            guard let text = value.stringValue, !text.isEmpty, text.count <= 200 else { return "must be a text of 1 to 200 characters" }
        case .number, .percentage:
            guard value.doubleValue != nil, value.stringValue == nil else { return "must be a number" }
        case .date:
            guard let text = value.stringValue, CalendarDate(text) != nil else { return "must be a date YYYY-MM-DD" }
        case .boolean:
            guard value.boolValue != nil else { return "must be true or false" }
        }
        return nil
    }
}
