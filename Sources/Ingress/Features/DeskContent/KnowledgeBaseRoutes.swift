import Access
import Conversations
import Delivery
import GatewayKit
import HTTPServer

/// The internal knowledge base (reading `tickets.read`, changing `knowledge.manage`):
/// - `GET /v1/kb/articles?q=` → `{"items": [{"id", "title", "body", "tags"}]}`, most recently changed first (`q`:
///   2–100 characters, case-insensitive, in title, body or tags); `GET /v1/kb/articles/{id}` → the article;
/// - `POST /v1/kb/articles {"title", "body", "tags"?}` → 201; `PUT /v1/kb/articles/{id}` (the whole article) → 200;
///   `DELETE /v1/kb/articles/{id}` → 204. 400 names each bad field.
struct KnowledgeBaseRoutes {
    let knowledgeBase: KnowledgeBase
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (knowledgeBase, clock) = (self.knowledgeBase, self.clock)
        router.add("GET", "/v1/kb/articles", .requires(.ticketsRead)) { request, responder in
            responder.answer(DeskSearch.parse(request.http.query)) { search in
                responder.answer(missing: "") { ["items": .array(try knowledgeBase.search(search).map(\.json))] }
            }
        }
        router.add("GET", "/v1/kb/articles/{id}", .requires(.ticketsRead)) { request, responder in
            guard let id = request.recordID(responder) else { return }
            responder.answer(missing: "no knowledge-base article \(id)") { try knowledgeBase.article(id)?.json }
        }
        router.add("POST", "/v1/kb/articles", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            responder.answer(KnowledgeArticle.read(body)) { article in
                knowledgeBase.create(article, by: caller, now: clock()) { responder.answer($0) { responder.json($0, status: 201) } }
            }
        }
        router.add("PUT", "/v1/kb/articles/{id}", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let body = request.jsonBody(responder) else { return }
            responder.answer(KnowledgeArticle.read(body)) { article in
                knowledgeBase.replace(id, with: article, by: caller, now: clock()) { responder.answer($0) { responder.json($0) } }
            }
        }
        router.add("DELETE", "/v1/kb/articles/{id}", .requires(.knowledgeManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            knowledgeBase.delete(id, by: caller, now: clock()) { responder.answer($0) { _ in responder.noContent() } }
        }
    }
}
