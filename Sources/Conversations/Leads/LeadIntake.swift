import Access
import CRM
import Delivery
import GatewayKit
import Identity
import Storage

/// Leads entered by hand (`POST /v1/leads`), routed like the leads WhatsApp brings in: in one transaction the contact
/// is found by phone or created, named as sales typed it, its `company` and `source` fields set, a lead ticket opened in
/// the lead queue with its SLA clocks running (an `opened` history row), the lead recorded and the change audited.
/// The ticket's conversation is the contact's, so the customer's first WhatsApp message lands on it; until they
/// write, only templates can reach them.
public struct LeadIntake: Sendable {
    private let database: any Database
    private let contacts: ContactEditor
    private let sla: TicketSLA
    private let queue: String
    private let ticketObservers: [any TicketOpeningObserver]

    /// - Parameters:
    ///   - queue: the lead queue (the classifier's, `sales` by default).
    ///   - ticketObservers: told of each lead ticket opened.
    public init(database: any Database, contacts: ContactEditor, sla: TicketSLA, queue: String,
                ticketObservers: [any TicketOpeningObserver]) {
        self.database = database
        self.contacts = contacts
        self.sla = sla
        self.queue = queue
        self.ticketObservers = ticketObservers
    }

    /// Answers `{"ticket_id", "contact_id", "lead"}`.
    public func create(_ input: LeadInput, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        database.write({ [contacts, sla, queue, ticketObservers] c in
            let contact = try contacts.upsert(ContactPatch(phones: [input.phone]), actor: caller.actor, in: c).contact
            guard let contactID = contact["id"]?.stringValue else {
                throw StoreConsistencyError(detail: "the contact of a new lead has no id")
            }
            if let name = input.name { try contacts.recordGivenName(name, of: contactID, actor: caller.actor, in: c) }
            if let business = input.business {
                _ = try ContactFieldService.setValues(["company": .string(business)], ofContact: contactID, now: now, in: c)
            }
            try Self.setSource(input.contactSource, of: contactID, now: now, in: c)
            let targets = sla.targets(for: nil)
            let ticket = try ConversationTicketTable.insert(.init(
                name: String("Lead: \(input.name ?? "+" + input.phone)".prefix(255)), contactID: contactID,
                conversationKey: contactID, kind: "lead", queue: queue, lastCustomerMessageAt: nil,
                firstResponseDueAt: now + targets.firstResponse, resolutionDueAt: now + targets.resolution,
                language: nil), now: now, observers: ticketObservers, in: c)
            try TicketHistory.record(ticket.id, at: now, actor: caller.actor, action: "opened",
                                     to: TicketStatus.open.rawValue,
                                     detail: ["kind": "lead", "queue": .string(queue), "source": .string(input.source)],
                                     in: c)
            let lead = Lead(ticketID: ticket.id, contactID: contactID, name: input.name, business: input.business,
                            interest: input.interest, source: input.source, language: nil, awaiting: nil)
            try LeadTable.insert(lead, openingMessageID: nil, by: caller.actor, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "lead.created", subjectType: "ticket", subjectID: String(ticket.id),
                                             detail: ["contact_id": .string(contactID), "source": .string(input.source)]),
                                  by: caller, at: now, in: c)
            return ["ticket_id": .integer(ticket.id), "contact_id": .string(contactID), "lead": lead.json]
        }, answer: answer)
    }

    /// The lead of ticket `ticketID`, nil when the ticket has none. Blocking read.
    public func lead(ofTicket ticketID: Int64) throws -> Lead? {
        try database.read { try LeadTable.find(ticketID: ticketID, in: $0) }
    }

    /// The contact's `source` field: the option `source` names, else "Manual entry".
    private static func setSource(_ source: String, of contactID: String, now: Int64,
                                  in c: any DatabaseConnection) throws {
        do {
            _ = try ContactFieldService.setValues(["source": .string(source)], ofContact: contactID, now: now, in: c)
        } catch GatewayError.validation {
            // Not one of the field's options (a fair, a referral): checked before anything was written.
            _ = try ContactFieldService.setValues(["source": "Manual entry"], ofContact: contactID, now: now, in: c)
        }
    }
}
