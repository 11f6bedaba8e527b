import Access
import GatewayKit
import HTTPServer

/// `POST /v1/setup {"code", "email", "password", "name"?}` → 201 with the first admin (see ``FirstRunSetup``); the
/// console's `/console/setup?code=…` page sends it. Open: whoever holds the printed code is the operator.
struct SetupRoutes {
    let setup: FirstRunSetup

    func register(in router: inout Router) {
        let setup = self.setup
        router.add("POST", "/v1/setup", .open(reason: "the first admin, with the one-time code printed at first start")) {
            request, responder in
            guard let body = request.jsonBody(responder) else { return }
            let caller = Caller(principal: .system("setup"), requestID: request.requestID,
                                sourceIP: request.http.remoteAddress)
            setup.createAdmin(body, caller: caller) { result in
                responder.answer(result) { responder.json($0.json, status: 201) }
            }
        }
    }
}
