import Conversations
import Delivery
import GatewayKit
import Storage

/// The inbound step that takes renewal opt-outs from WhatsApp messages (``RenewalOptOut``): runs right after
/// identity, before the outlet-choice and ticket steps. A keyword that changed something (`STOP` / `BERHENTI`, or
/// `START` / `MULA` from a phone that had opted out) is counted in
/// `gateway_renewal_opt_outs_total{action="opt_out"|"opt_in"}`, and then:
/// - inside an ongoing conversation (the customer's newest ticket is open or pending) it is also part of that
///   conversation: it flows on, and the ticket step files it on that ticket like any message, so the agent sees it;
/// - otherwise (a reply to a reminder, or a resolved or closed ticket) it is consumed: it opens or reopens no ticket.
///
/// Any other message flows on untouched.
public struct RenewalOptOutStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    private let optOut = RenewalOptOut()

    public var kinds: Set<String> { ["message"] }

    public init() {}

    /// The keyword a message's text is, if any (``RenewalOptOut/keyword(_:)``), off the writer.
    public func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? {
        guard case .message(let message) = event else { return nil }
        return PreparedKeyword(keyword: RenewalOptOut.keyword(message.displayText))
    }

    /// What ``prepare(_:occurredAt:)`` found: a keyword, or none.
    struct PreparedKeyword: Sendable {
        let keyword: RenewalOptOut.Keyword?
    }

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event,
              let keyword = item.prepared(as: PreparedKeyword.self).map(\.keyword)
                ?? RenewalOptOut.keyword(message.displayText),
              try optOut.handle(keyword, text: message.displayText, phone: message.senderPhone,
                                contactID: item.contactID, at: item.now, in: connection)
        else { return .next }
        let action: String
        switch keyword {
        case .optOut: action = "opt_out"
        case .optIn: action = "opt_in"
        }
        item.counts.increment("gateway_renewal_opt_outs_total", [("action", action)],
                              help: "Renewal opt-outs (STOP/BERHENTI) and opt-ins (START/MULA) taken from WhatsApp")
        item.applied = true
        return try TicketConversationStep.ongoingTicket(contactID: item.contactID, message, in: connection) == nil
            ? .consumed : .next
    }
}
