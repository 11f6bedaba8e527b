import Access
import Conversations
import Crypto
import Delivery
import GatewayKit
import HTTPServer

/// Canned replies (reading `tickets.read`, changing `knowledge.manage`) and sending one on a ticket (`tickets.write`):
/// - `GET /v1/canned-replies?q=&language=` → `{"items": [reply]}` by name (`q`: 2–100 characters, case-insensitive,
///   in name, text or tags); `GET /v1/canned-replies/{id}` → the reply;
/// - `POST /v1/canned-replies` ``CannedReply`` body → 201; `PUT /v1/canned-replies/{id}` (the whole reply) → 200;
///   `DELETE /v1/canned-replies/{id}` → 204. 400 names each bad field (an unknown `{{variable}}` under `text` or
///   `template.parameters[i]`; a template the catalog lacks in the reply's language under `template.name`), 409 for
///   a name taken in that language;
/// - `POST /v1/tickets/{id}/canned-replies/{reply_id}` (no body, optional `Idempotency-Key`) → 202 with the outbound
///   ticket message, as `POST /v1/tickets/{id}/messages` answers; 409 outside the 24-hour window for a reply without
///   a template.
struct CannedReplyRoutes {
    let replies: CannedReplies
    let desk: TicketDesk
    /// Tickets outside the caller's scope answer 404.
    let scope: TicketScope
    let clock: @Sendable () -> Int64
    /// `tickets.claim_duration` (sending is a reply: collision control applies, ``TicketGuard``).
    let claimMilliseconds: Int64

    func register(in router: inout Router) {
        let (replies, desk, scope, clock, claimMilliseconds) = (self.replies, self.desk, self.scope, self.clock,
                                                                self.claimMilliseconds)
        router.add("GET", "/v1/canned-replies", .requires(.ticketsRead)) { request, responder in
            let language = request.http.query["language"]
            if let language, !CannedReply.languages.contains(language) {
                return responder.problem(.validation([FieldError(field: "language", message: "must be one of en, ms")]))
            }
            responder.answer(DeskSearch.parse(request.http.query)) { search in
                responder.answer(missing: "") { ["items": .array(try replies.list(search, language: language).map(\.json))] }
            }
        }
        router.add("GET", "/v1/canned-replies/{id}", .requires(.ticketsRead)) { request, responder in
            guard let id = request.recordID(responder) else { return }
            responder.answer(missing: "no canned reply \(id)") { try replies.reply(id)?.json }
        }
        router.add("POST", "/v1/canned-replies", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            responder.answer(CannedReply.read(body, catalog: replies.catalog)) { reply in
                replies.create(reply, by: caller, now: clock()) { responder.answer($0) { responder.json($0, status: 201) } }
            }
        }
        router.add("PUT", "/v1/canned-replies/{id}", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let body = request.jsonBody(responder) else { return }
            responder.answer(CannedReply.read(body, catalog: replies.catalog)) { reply in
                replies.replace(id, with: reply, by: caller, now: clock()) { responder.answer($0) { responder.json($0) } }
            }
        }
        router.add("DELETE", "/v1/canned-replies/{id}", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            replies.delete(id, by: caller, now: clock()) { responder.answer($0) { _ in responder.noContent() } }
        }
        router.add("POST", "/v1/tickets/{id}/canned-replies/{reply_id}", .requires(.ticketsWrite)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let replyID = request.recordID(responder, parameter: "reply_id"),
                  let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder),
                  let given = request.idempotencyKey(responder) else { return }
            let key = given ?? "auto:" + Hex.encode(SecureRandom.bytes(12))
            let now = clock()
            let audit: Addendum<(message: JSONValue, created: Bool)> = caller.audited(
                "ticket.replied", "ticket", at: now, subject: { _ in String(id) },
                detail: { ["message_id": $0.message["id"] ?? .null, "canned_reply_id": .integer(replyID)] })
            scope.check(id, for: caller, responder) {
                desk.sendCannedReply(replyID, on: id, guardedBy: ticketGuard, idempotencyKey: key, now: now,
                                     addendum: { reply, c in if reply.created { try audit(reply, c) } }) { result in
                    responder.answer(result, responder.queuedReply)
                }
            }
        }
    }
}
