import Access
import Campaigns
import Conversations
import Delivery
import GatewayKit
import HTTPServer

/// Campaigns to a segment's members (unrestricted callers only: members are customers of any outlet):
/// - `POST /v1/segments/{id}/campaigns` (`campaigns.send`) ``CampaignInput`` body, optional `Idempotency-Key` →
///   202 and the campaign with its audience estimate ("850 of 1,050 have WhatsApp"); the same key again → 200 and the
///   first campaign, nothing sent twice; 409 while the segment is not ready or when nobody in it can receive it;
/// - `GET /v1/segments/{id}/campaigns` (`segments.view`) → the segment's campaigns, newest first;
/// - `GET /v1/campaigns/{id}` (`segments.view`) → the campaign and its progress by outcome;
/// - `GET /v1/campaigns/{id}/recipients?outcome=&limit=&cursor=` (`segments.view`) → a page of recipients with
///   their outcome and its times;
/// - `POST /v1/campaigns/{id}/cancel` (`campaigns.send`) → the campaign, what was not sent yet withdrawn.
struct CampaignRoutes {
    static let outcomes = ["pending", "queued", "sent", "delivered", "read", "replied", "failed", "skipped", "cancelled"]
    let campaigns: CampaignService
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (campaigns, clock) = (self.campaigns, self.clock)
        let reason = "a campaign reaches customers of any outlet"
        router.add("POST", "/v1/segments/{id}/campaigns", .requires(.campaignsSend)) { request, responder in
            guard let caller = request.unrestrictedCaller(responder, reason), let id = request.recordID(responder),
                  let (key, body) = request.keyedJSONBody(responder) else { return }
            switch CampaignInput.read(body, properties: campaigns.propertyExists) {
            case .failure(let error): responder.problem(error)
            case .success(let input):
                campaigns.start(segment: id, input, idempotencyKey: key, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0.campaign.json, status: $0.created ? 202 : 200) }
                }
            }
        }
        router.add("GET", "/v1/segments/{id}/campaigns", .requires(.segmentsView)) { request, responder in
            guard request.unrestrictedCaller(responder, reason) != nil, let id = request.recordID(responder) else { return }
            responder.answer(missing: "no segment \(id)") {
                try campaigns.campaigns(ofSegment: id).map { ["items": .array($0.map(\.json))] }
            }
        }
        router.add("GET", "/v1/campaigns/{id}", .requires(.segmentsView)) { request, responder in
            guard request.unrestrictedCaller(responder, reason) != nil, let id = request.recordID(responder) else { return }
            responder.answer(missing: "no campaign \(id)") { try campaigns.find(id)?.json }
        }
        router.add("GET", "/v1/campaigns/{id}/recipients", .requires(.segmentsView)) { request, responder in
            guard request.unrestrictedCaller(responder, reason) != nil, let id = request.recordID(responder) else { return }
            var query = request.http.query
            let outcome = query.removeValue(forKey: "outcome")
            if let outcome, !Self.outcomes.contains(outcome) {
                return responder.problem(.validation([FieldError(
                    field: "outcome", message: "must be one of \(Self.outcomes.joined(separator: ", "))")]))
            }
            let page: TicketPage
            switch TicketPage.parse(query) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): page = parsed
            }
            responder.answer(missing: "no campaign \(id)") {
                try campaigns.recipients(of: id, outcome: outcome, after: page.after, limit: page.limit).map { items in
                    ["items": .array(items), "next_cursor": items.count == page.limit ? items.last?["cursor"] ?? .null : .null]
                }
            }
        }
        router.add("POST", "/v1/campaigns/{id}/cancel", .requires(.campaignsSend)) { request, responder in
            guard let caller = request.unrestrictedCaller(responder, reason), let id = request.recordID(responder) else { return }
            campaigns.cancel(id, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0.json) }
            }
        }
    }
}
