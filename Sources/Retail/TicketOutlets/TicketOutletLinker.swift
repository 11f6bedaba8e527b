import CRM
import Conversations
import GatewayKit
import Messaging
import Storage

/// The one place a ticket gets its outlet: automatically from the customer's phone or earlier link, by the
/// customer's pick from a WhatsApp list, or by an agent. Each operation runs inside the caller's transaction and
/// writes the ticket's `fid`/`oid`/`outlet_status`, its ``TicketHistory`` row and the `contact_outlet` link of the
/// ticket's customer together.
///
/// History: `outlet_linked` (`from`/`to` = the previous and new OID, `detail` = `{"fid", "oid", "outlet_name",
/// "method"}`) and `outlet_ambiguous` (`detail` = `{"candidates", "offered", "language", "list_message_id" |
/// "list_error"}`).
public struct TicketOutletLinker: Sendable {
    /// How a ticket's outlet was found (history `detail.method`).
    public enum Method: String, Sendable {
        /// The customer's phone is listed by exactly one outlet.
        case phone
        /// The customer was linked before (`contact_outlet`): the newest link is reused, nobody is asked again.
        case contactOutlet = "contact_outlet"
        /// The customer picked it from the list.
        case customerChoice = "customer_choice"
        /// An agent linked it.
        case manual

        /// The `contact_outlet.method` the link is recorded with; nil when the link is already there.
        var contactLink: ContactOutletLink.Method? {
            switch self {
            case .phone: return .phone
            case .contactOutlet: return nil
            case .customerChoice: return .customerChoice
            case .manual: return .manual
            }
        }
    }

    public let resolver: ContactOutletResolver
    let sender: WhatsAppSender
    /// The words of the outlet list (``OutletChoiceList/texts``).
    let texts: WhatsAppTextCatalog

    public init(resolver: ContactOutletResolver, sender: WhatsAppSender, texts: WhatsAppTextCatalog) {
        self.resolver = resolver
        self.sender = sender
        self.texts = texts
    }

    /// Links `ticket` to `outlet`. Linking the outlet it already has changes nothing and returns false.
    func link(_ ticket: TicketOutletColumns.Ticket, to outlet: OutletRecord, method: Method, actor: String, now: Int64,
              in c: any DatabaseConnection) throws -> Bool {
        guard ticket.oid != outlet.oid || ticket.outletStatus != .linked else { return false }
        try TicketOutletColumns.setLinked(ticket.id, fid: outlet.fid, oid: outlet.oid, now: now, in: c)
        if let contactID = ticket.contactID, let contactLink = method.contactLink {
            try resolver.link(contactID: contactID, oid: outlet.oid, method: contactLink, at: now, in: c)
        }
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: "outlet_linked", from: ticket.oid,
                                 to: outlet.oid,
                                 detail: ["fid": .string(outlet.fid), "oid": .string(outlet.oid),
                                          "outlet_name": .string(outlet.name), "method": .string(method.rawValue)],
                                 in: c)
        return true
    }

    /// An agent's link of ticket `ticketID` (any live ticket, whatever its status or channel).
    /// - Throws: ``GatewayError/notFound(_:)`` for an unknown or deleted ticket, ``GatewayError/validation(_:)``
    ///   naming `oid` for an outlet the POS data does not hold.
    /// - Returns: false when the ticket already had that outlet.
    public func linkManually(ticketID: Int64, oid: String, actor: String, now: Int64,
                             in c: any DatabaseConnection) throws -> Bool {
        guard let ticket = try TicketOutletColumns.find(ticketID, in: c), !ticket.isDeleted else {
            throw GatewayError.notFound("no ticket with id \(ticketID)")
        }
        guard let outlet = try OutletDirectory.outlet(oid, in: c) else {
            throw GatewayError.validation([FieldError(field: "oid", message: "is not an outlet of the POS data")])
        }
        return try link(ticket, to: outlet, method: .manual, actor: actor, now: now, in: c)
    }

    /// Marks `ticket` ambiguous and sends the customer (`phone`) the list of `candidates` to choose from, in the
    /// ticket's language when the list has it, else `whatsapp.default_language`. A list the kit refuses (e.g. no
    /// `WHATSAPP_PHONE_NUMBER_ID`) leaves the ticket ambiguous for an agent, its reason in the history; the error is
    /// returned so the caller can count it.
    func ask(_ ticket: TicketOutletColumns.Ticket, candidates: [OutletRecord], phone: String, actor: String,
             now: Int64, in c: any DatabaseConnection) throws -> WhatsAppSendError? {
        let words = texts.texts(OutletChoiceList.texts, language: ticket.language)
        let (list, offered) = OutletChoiceList.message(ticketID: ticket.id, candidates: candidates, texts: words)
        try TicketOutletColumns.setAmbiguous(ticket.id, now: now, in: c)
        try TicketOutletTable.rememberOffered(offered.map(\.oid), ticketID: ticket.id, in: c)
        var detail: [String: JSONValue] = ["candidates": .array(candidates.map { .string($0.oid) }),
                                           "offered": .array(offered.map { .string($0.oid) }),
                                           "language": .string(words.language)]
        var failure: WhatsAppSendError?
        do {
            let sent = try sender.enqueue(WhatsAppSend(
                recipient: .phone(phone), content: .interactiveList(list), purpose: "outlet_choice",
                reference: String(ticket.id), idempotencyKey: "outlet_choice:\(ticket.id)"), in: c)
            detail["list_message_id"] = .integer(sent.id)
        } catch let error as WhatsAppSendError {
            detail["list_error"] = .string(Self.reason(error))
            failure = error
        }
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: "outlet_ambiguous",
                                 to: TicketOutletStatus.ambiguous.rawValue, detail: .object(detail), in: c)
        return failure
    }

    /// A refused send in words, for the history.
    private static func reason(_ error: WhatsAppSendError) -> String {
        switch error {
        case .notConfigured(let setting): return "not configured: \(setting)"
        case .idempotencyConflict(let key, _): return "idempotency key \(key) was used for another message"
        default: return error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        }
    }
}
