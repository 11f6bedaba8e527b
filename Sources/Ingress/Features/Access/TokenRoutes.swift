import Access
import Delivery
import GatewayKit
import HTTPServer

/// API tokens, for admins (`users.manage`): `POST /v1/tokens {"name", "role", "scope"?, "expires_in"?}` → 201 with
/// the token record and, this once, its secret (`"token": "gwt_…"`); `GET /v1/tokens` lists them without secrets;
/// `DELETE /v1/tokens/{id}` revokes → 200 + record (again: no change). A scoped admin sees and grants only inside its
/// scope.
struct TokenRoutes {
    let tokens: APITokens
    /// Unix milliseconds of changes, and of expiry in the listing.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (tokens, clock) = (self.tokens, self.clock)
        router.add("POST", "/v1/tokens", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            switch NewToken.read(body) {
            case .failure(let error): responder.problem(error)
            case .success(let token):
                let now = clock()
                tokens.create(token, by: caller, now: now) { result in
                    responder.answer(result) { created in
                        guard case .object(var body) = created.record.json(at: now) else { return }
                        body["token"] = .string(created.secret)
                        responder.json(.object(body), status: 201, headers: [("Cache-Control", "no-store")])
                    }
                }
            }
        }
        router.add("GET", "/v1/tokens", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            responder.answer(missing: "") {
                let now = clock()
                return ["items": .array(try tokens.list(for: caller).map { $0.json(at: now) })]
            }
        }
        router.add("DELETE", "/v1/tokens/{id}", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            let now = clock()
            tokens.revoke(id, by: caller, now: now) { result in
                responder.answer(result) { responder.json($0.json(at: now)) }
            }
        }
    }
}
