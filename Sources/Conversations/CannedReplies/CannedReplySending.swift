import CRM
import GatewayKit
import Messaging
import Storage

/// Sends a canned reply on a ticket (`POST /v1/tickets/{id}/canned-replies/{reply_id}`) as an agent's reply
/// (``TicketReplies``: same history, SLA first response, idempotency), with its variables filled for this ticket:
/// its text inside the customer's 24-hour window, its template (in the reply's language) outside it. Outside the
/// window a reply without a template is a 409: there is nothing the Cloud API would deliver. A replayed
/// idempotency key sends nothing again, whatever the window does in between.
struct CannedReplySending: Sendable {
    let replies: TicketReplies

    func send(_ replyID: Int64, on ticketID: Int64, actor: String, idempotencyKey: String, now: Int64,
              in c: any DatabaseConnection) throws -> (message: JSONValue, created: Bool) {
        guard let canned = try CannedReplyStore.find(replyID, in: c) else {
            throw GatewayError.notFound("no canned reply \(replyID)")
        }
        guard let ticket = try ConversationTicketTable.find(ticketID, in: c), ticket.deletedAt == nil else {
            throw GatewayError.notFound("no ticket with id \(ticketID)")
        }
        let customer = try TicketCustomer.of(ticket, in: c)
        let values = CannedReplyVariables.Values(contactName: customer?.name, ticketID: ticketID, agent: actor)
        let fill = { CannedReplyVariables.fill($0, with: values, language: canned.language) }
        let replayed = try WhatsAppOutboundTable.message(idempotencyKey: TicketReplies.key(ticketID, idempotencyKey),
                                                         in: c)
        let window = CustomerServiceWindow.evaluate(lastCustomerMessageAt: customer?.lastMessageAt, now: now)
        let asTemplate = replayed.map { $0.contentKind == "template" } ?? !window.allowsFreeForm
        let content: WhatsAppContent
        if !asTemplate {
            content = .text(fill(canned.text))
        } else if let template = canned.template {
            content = .template(name: template.name, language: canned.language, parameters: template.parameters.map(fill))
        } else {
            throw GatewayError.conflict("canned reply \(replyID) has no approved template, and outside the "
                                        + "customer's 24-hour window only a template can be sent; give it one, or "
                                        + "pick a reply that has one")
        }
        return try replies.reply(TicketReplyRequest(actor: actor, content: content), to: ticketID,
                                 idempotencyKey: idempotencyKey, now: now, in: c)
    }
}
