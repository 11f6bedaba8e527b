import Access
import Delivery
import GatewayKit
import HTTPServer

/// Users, for admins (`users.manage`): `POST /v1/users` → 201 + user (409 for a taken email), `GET /v1/users`,
/// `GET /v1/users/{id}`, `PATCH /v1/users/{id}` → 200 + user. A scoped admin sees and grants only inside its scope
/// (404 for users outside it). Passwords are never shown.
struct UserRoutes {
    let users: UserAccounts
    /// Unix milliseconds of changes.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (users, clock) = (self.users, self.clock)
        router.add("POST", "/v1/users", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            switch NewUser.read(body) {
            case .failure(let error): responder.problem(error)
            case .success(let user):
                users.create(user, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0.json, status: 201) }
                }
            }
        }
        router.add("GET", "/v1/users", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            responder.answer(missing: "") { ["items": .array(try users.list(for: caller).map(\.json))] }
        }
        router.add("GET", "/v1/users/{id}", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            responder.answer(missing: "no user with id \(id)") { try users.find(id, for: caller)?.json }
        }
        router.add("PATCH", "/v1/users/{id}", .requires(.usersManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let body = request.jsonBody(responder) else { return }
            switch UserChange.read(body) {
            case .failure(let error): responder.problem(error)
            case .success(let change):
                users.update(id, change, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0.json) }
                }
            }
        }
    }
}
