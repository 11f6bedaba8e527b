/// A comparison a segment filter makes, by its wire name. Which ones a field allows depends on its type
/// (``SegmentField/operators``); what value each takes is ``valueShape``.
public enum SegmentOperator: String, Sendable, CaseIterable {
    // Text and dropdown fields (case-insensitive).
    case `is`, isNot = "is_not", contains, doesNotContain = "does_not_contain", startsWith = "starts_with",
         endsWith = "ends_with"
    // Numbers and percentages.
    case equals, notEquals = "not_equals", greaterThan = "greater_than", lessThan = "less_than", between
    // Dates (days in the org's time zone).
    case on, notOn = "not_on", before, after, inTheLastDays = "in_the_last_days"
    // Multiple selections.
    case containsAny = "contains_any", containsAll = "contains_all"
    // Every type.
    case isEmpty = "is_empty", isNotEmpty = "is_not_empty"

    /// What a filter's `value` must be for this operator.
    public enum ValueShape: Sendable {
        /// No value (`is_empty`, `is_not_empty`).
        case none
        /// One value of the field's type.
        case one
        /// Two values of the field's type, low then high, both included (`between`).
        case two
        /// A whole number of days (`in_the_last_days`).
        case days
        /// One or more values of the field's type (`contains_any`, `contains_all`).
        case several
    }

    public var valueShape: ValueShape {
        switch self {
        case .isEmpty, .isNotEmpty: return .none
        case .between: return .two
        case .inTheLastDays: return .days
        case .containsAny, .containsAll: return .several
        default: return .one
        }
    }

    /// Whether the operator excludes what it names (a record with no value never matches one of these either).
    var isNegative: Bool { [.isNot, .doesNotContain, .notEquals, .notOn].contains(self) }

    // The operator lists of the field types, as the seeds set them.
    static let text: [SegmentOperator] = [.is, .isNot, .contains, .doesNotContain, .startsWith, .endsWith, .isEmpty,
                                          .isNotEmpty]
    static let number: [SegmentOperator] = [.equals, .notEquals, .greaterThan, .lessThan, .between, .isEmpty,
                                            .isNotEmpty]
    static let count: [SegmentOperator] = [.equals, .notEquals, .greaterThan, .lessThan, .between]
    static let measure: [SegmentOperator] = [.greaterThan, .lessThan, .between, .isEmpty, .isNotEmpty]
    static let range: [SegmentOperator] = [.greaterThan, .lessThan, .between]
    static let score: [SegmentOperator] = [.greaterThan, .lessThan, .between, .equals, .isEmpty, .isNotEmpty]
    static let percentage: [SegmentOperator] = [.greaterThan, .lessThan, .between, .equals, .notEquals]
    static let date: [SegmentOperator] = [.on, .notOn, .before, .after, .between, .inTheLastDays, .isEmpty, .isNotEmpty]
    static let boolean: [SegmentOperator] = [.equals, .isEmpty, .isNotEmpty]
    static let longText: [SegmentOperator] = [.is, .isNot, .contains, .doesNotContain, .isEmpty, .isNotEmpty]
    static let choice: [SegmentOperator] = [.is, .isNot, .isEmpty, .isNotEmpty]
    /// A person picked from the users (a ticket's or deal's owner, an assignee).
    static let person: [SegmentOperator] = longText
    static let selection: [SegmentOperator] = [.containsAny, .containsAll, .isEmpty, .isNotEmpty]
    static let presence: [SegmentOperator] = [.isEmpty, .isNotEmpty]
}
