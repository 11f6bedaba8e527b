import CRM
import Conversations
import Delivery
import GatewayKit
import Identity
import Storage

/// The inbound step after the ticket step that finds out which outlet a conversation ticket is about (its franchise
/// and outlet, found from the customer's phone in the POS data). It looks at the ticket the message was just filed on,
/// when that ticket is open or pending and has no outlet yet (a new ticket, or one still `unlinked`):
///
/// 1. the ticket's customer was linked before (`contact_outlet`) → the newest link is used (a customer who chose
///    once is not asked again; with several links the latest choice or correction wins);
/// 2. else the sender's phone through the POS data (``ContactOutletResolver``): one outlet → linked (and recorded
///    in `contact_outlet`, method `phone`); several → `ambiguous`, and the customer gets a WhatsApp list to choose
///    from (``OutletChoiceList``, answered through ``OutletChoiceStep``); none, or a sender without a phone
///    (BSUID only) → `unlinked`, in the agents' queue.
///
/// An `unlinked` ticket is tried again on each later customer message, so POS data that arrives later (import, pull,
/// push) links it then. An `ambiguous` ticket is not asked twice.
public struct TicketOutletStep: InboundItemStep {
    public var phase: InboundPhase { .enrich }
    /// The history actor of automatic links.
    public static let actor = "outlet-resolver"

    public let linker: TicketOutletLinker
    public var kinds: Set<String> { ["message"] }

    public init(linker: TicketOutletLinker) { self.linker = linker }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event,
              let ticketID = try item.ticketID ?? TicketMessages.ticketID(ofInbound: message.id, in: c)
        else { return .next }
        // A ticket this message opened is open, of this customer, with no outlet yet; of one it was filed on now the
        // ticket step says how it found it. Either is read only to set an outlet.
        var stored: TicketOutletColumns.Ticket?
        let found: (contactID: String?, outletStatus: TicketOutletStatus?)
        if item.ticketOpened {
            found = (item.contactID, nil)
        } else if item.ticketKind != nil {
            let status = item.ticketStatus
            guard status == TicketStatus.open.rawValue || status == TicketStatus.pending.rawValue else { return .next }
            found = (item.ticketContactID, item.ticketOutletStatus.flatMap(TicketOutletStatus.init(rawValue:)))
        } else {
            guard let ticket = try TicketOutletColumns.find(ticketID, in: c), ticket.isActive else { return .next }
            (stored, found) = (ticket, (ticket.contactID, ticket.outletStatus))
        }
        guard found.outletStatus == nil || found.outletStatus == .unlinked else { return .next }
        let ticket = { try stored ?? TicketOutletColumns.find(ticketID, in: c) }
        let contactID = found.contactID
        let now = item.now
        // A customer created for this message has no links yet.
        let isNewContact = item.contactIsNew && contactID == item.contactID
        if let contactID, !isNewContact, let newest = try linker.resolver.links(contactID: contactID, in: c).last,
           let ticket = try ticket() {
            _ = try linker.link(ticket, to: newest.outlet, method: .contactOutlet, actor: Self.actor, now: now, in: c)
            TicketOutletMetrics.count("linked", in: &item.counts)
            item.applied = true
            return .next
        }
        switch try message.senderPhone.map({ phone in (phone, try resolve(phone, in: c)) }) {
        case (_, .linked(_, let oid))?:
            guard let outlet = try OutletDirectory.outlet(oid, in: c), let ticket = try ticket() else { return .next }
            _ = try linker.link(ticket, to: outlet, method: .phone, actor: Self.actor, now: now, in: c)
            TicketOutletMetrics.count("linked", in: &item.counts)
        case (let phone, .ambiguous(let outlets))?:
            guard let ticket = try ticket() else { return .next }
            if try linker.ask(ticket, candidates: outlets, phone: phone, actor: Self.actor, now: now, in: c) != nil {
                item.counts.increment(TicketOutletMetrics.listErrors, help: TicketOutletMetrics.listErrorsHelp)
            }
            TicketOutletMetrics.count("ambiguous", in: &item.counts)
        case (_, .unlinked)?, nil:
            // Counted once per ticket: later messages that still find nothing are not new outcomes. A ticket this
            // message opened was inserted `unlinked` already (``TicketConversationStep``).
            guard found.outletStatus == nil else { return .next }
            if !item.ticketOpened { try TicketOutletColumns.markUnlinked(ticketID, in: c) }
            TicketOutletMetrics.count("unlinked", in: &item.counts)
        }
        item.applied = true
        return .next
    }

    /// The POS outlets listing `phone`; nothing for a number the POS rules refuse.
    private func resolve(_ phone: String, in c: any DatabaseConnection) throws -> OutletResolution {
        do {
            return try linker.resolver.resolve(phone: phone, in: c)
        } catch is PhoneNumberError {
            return .unlinked
        }
    }
}
