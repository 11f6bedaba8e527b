import GatewayKit
import Storage

/// A sales lead: its ticket, the customer, and what they told us (name, business, interest) with where the lead came
/// from. `awaiting` is the WhatsApp question still open (``LeadQuestion``), nil when none is.
public struct Lead: Sendable, Equatable {
    public static let maxNameLength = 100
    public static let maxBusinessLength = 200
    public static let maxInterestLength = 200

    public let ticketID: Int64
    public var contactID: String?
    public var name: String?
    public var business: String?
    public var interest: String?
    public let source: String
    public let language: String?
    public var awaiting: LeadQuestion?

    /// `{"ticket_id", "contact_id", "name", "business", "interest", "source", "language", "awaiting"}`.
    public var json: JSONValue {
        ["ticket_id": .integer(ticketID), "contact_id": JSONValue(contactID), "name": JSONValue(name),
         "business": JSONValue(business), "interest": JSONValue(interest), "source": .string(source),
         "language": JSONValue(language), "awaiting": JSONValue(awaiting?.rawValue)]
    }
}

/// The questions a new lead is asked over WhatsApp, in this order.
public enum LeadQuestion: String, Sendable, CaseIterable {
    case name, business, interest

    /// The question after this one; nil after the last.
    var next: LeadQuestion? {
        switch self {
        case .name: return .business
        case .business: return .interest
        case .interest: return nil
        }
    }

    /// The longest answer kept (a longer one is cut).
    var maxLength: Int {
        switch self {
        case .name: return Lead.maxNameLength
        case .business: return Lead.maxBusinessLength
        case .interest: return Lead.maxInterestLength
        }
    }
}

/// The `leads` table.
enum LeadTable {
    static func insert(_ lead: Lead, openingMessageID: String?, by actor: String, now: Int64,
                       in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO leads (ticket_id, contact_id, name, business, interest, source, language, awaiting,
                               opening_message_id, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(lead.ticketID), SQLValue(lead.contactID), SQLValue(lead.name), SQLValue(lead.business),
                  SQLValue(lead.interest), .text(lead.source), SQLValue(lead.language),
                  SQLValue(lead.awaiting?.rawValue), SQLValue(openingMessageID), .text(actor), .integer(now),
                  .integer(now)])
    }

    static func find(ticketID: Int64, in c: any DatabaseConnection) throws -> Lead? {
        guard let row = try c.queryOne("SELECT * FROM leads WHERE ticket_id = ?", [.integer(ticketID)]) else { return nil }
        return Lead(ticketID: ticketID, contactID: row.string("contact_id"), name: row.string("name"),
                    business: row.string("business"), interest: row.string("interest"),
                    source: row.string("source") ?? "", language: row.string("language"),
                    awaiting: row.string("awaiting").flatMap(LeadQuestion.init))
    }

    /// Whether WhatsApp message `messageID` already opened or answered the lead of `ticketID`.
    static func hasSeen(_ messageID: String, ticketID: Int64, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("""
            SELECT 1 FROM leads WHERE ticket_id = ? AND ? IN (opening_message_id, name_message_id, business_message_id,
                                                              interest_message_id)
            """, [.integer(ticketID), .text(messageID)]) != nil
    }

    /// Records `answer` to `question` (from message `messageID`) and what is awaited next.
    static func answer(_ question: LeadQuestion, _ answer: String, messageID: String, ticketID: Int64, now: Int64,
                       in c: any DatabaseConnection) throws {
        // The column names come from the enum, never from input.
        try c.run("""
            UPDATE leads SET \(question.rawValue) = ?, \(question.rawValue)_message_id = ?, awaiting = ?, updated_at = ?
            WHERE ticket_id = ?
            """, [.text(answer), .text(messageID), SQLValue(question.next?.rawValue), .integer(now), .integer(ticketID)])
    }

    /// Stops asking: an agent took the conversation over.
    static func stopAsking(ticketID: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE leads SET awaiting = NULL, updated_at = ? WHERE ticket_id = ?", [.integer(now), .integer(ticketID)])
    }
}
