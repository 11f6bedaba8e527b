/// One typed field of a deal or ticket, as the API reads it and the table stores it (the JSON name is the column
/// name). The field lists are static (``DealFields``, ``TicketFields``), so column names in SQL never come from input.
public struct RecordField: Sendable {
    public enum ValueType: Sendable {
        /// Free text such as a name, at most `maxLength` characters.
        case text(maxLength: Int)
        /// A value picked from CRM settings (pipeline, stage, owner, status, ...): a string, or an integer id that is
        /// stored as its decimal text.
        case reference(maxLength: Int)
        /// A non-negative amount (deal size).
        case amount
        /// An RFC 3339 date-time or a full date (`2026-07-01`), stored as sent.
        case timestamp
    }

    public let name: String
    public let type: ValueType
    /// Must be present (and non-null) on create, and cannot be cleared by an update.
    public let required: Bool

    public init(_ name: String, _ type: ValueType, required: Bool = false) {
        self.name = name
        self.type = type
        self.required = required
    }
}
