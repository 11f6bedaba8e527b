import Delivery
import GatewayKit
import Storage

/// The inbound step that takes renewal replies (``RenewalReply``): runs right after the opt-out step, before the
/// outlet-choice and ticket steps. A reply marks the sender's open cycles `customer_replied` and acknowledges it, then
/// flows on with a queue hint (``InboundItem/ticketQueue`` = `renewals.reply_queue`): the ticket step files the
/// message like any other, and a ticket it opens for it goes to the renewals team's queue for follow-up. Counted in
/// `gateway_renewal_replies_total{acknowledgement="sent"|"refused"|"window_closed"}`. Any other message flows on
/// untouched.
public struct RenewalReplyStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public let reply: RenewalReply
    /// Where a ticket opened by a reply goes.
    public let queue: String

    public var kinds: Set<String> { ["message"] }

    public init(reply: RenewalReply, queue: String) {
        self.reply = reply
        self.queue = queue
    }

    /// Whether a message's text is one of the keywords (``RenewalReply/isKeyword(_:)``), off the writer.
    public func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? {
        guard case .message(let message) = event else { return nil }
        return reply.isKeyword(message.displayText)
    }

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event,
              let outcome = try reply.handle(message, isKeyword: item.prepared(as: Bool.self),
                                             contactID: item.contactID, now: item.now, in: connection)
        else { return .next }
        item.ticketQueue = queue
        item.counts.increment("gateway_renewal_replies_total", [("acknowledgement", outcome.acknowledgement.rawValue)],
                              help: "Renewal reminders answered with a renewal keyword (cycles marked "
                                  + "customer_replied), by what became of the acknowledgement")
        item.applied = true
        return .next
    }
}
