import Access
import GatewayKit
import HTTPServer

/// The console's sign-in:
/// - `POST /v1/session {"email", "password"}` → 201 `{"user", "csrf_token", "expires_at"}` and the session cookie
///   (HttpOnly, SameSite=Strict, Secure with TLS); 401 for a wrong pair, 429 with `Retry-After` while throttled.
/// - `GET /v1/session` → who the caller is: `{"actor", "kind", "role", "permissions", "owned_only"
///   (permissions reaching only what the caller created), "scope", "user"?, "csrf_token"?}`
///   (the CSRF token again for a session, so a reloaded console page can carry on).
/// - `DELETE /v1/session` → 204, the session ended and the cookie cleared.
struct SessionRoutes {
    let signIn: SignIn
    let cookie: SessionCookie
    /// Unix milliseconds of sign-ins and sign-outs.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (signIn, cookie, clock) = (self.signIn, self.cookie, self.clock)
        router.add("POST", "/v1/session", .open(reason: "the sign-in itself (throttled)")) { request, responder in
            guard let body = request.jsonBody(responder) else { return }
            signIn.signIn(body, requestID: request.requestID, sourceIP: request.http.remoteAddress,
                          now: clock()) { result in
                responder.answer(result) { session in
                    responder.json(["user": session.user.json, "csrf_token": .string(session.csrfToken),
                                    "expires_at": .string(Timestamps.rfc3339(session.expiresAt))],
                                   status: 201, headers: [("Set-Cookie", cookie.setting(session.secret)),
                                                          ("Cache-Control", "no-store")])
                }
            }
        }
        router.add("GET", "/v1/session", .authenticated) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let principal = caller.principal
            var body: [String: JSONValue] = [
                "actor": .string(principal.actor), "kind": .string(principal.kind.rawValue),
                "role": .string(principal.role.rawValue),
                "permissions": .array(principal.role.permissions.sorted().map { .string($0.rawValue) }),
                "owned_only": .array(principal.role.ownedOnly.sorted().map { .string($0.rawValue) }),
                "scope": .array(principal.scope.texts.map(JSONValue.string)),
            ]
            body.put("user_id", principal.userID)
            if let secret = Authenticator.cookieValue(request.http.headers["Cookie"], named: Authenticator.sessionCookie),
               principal.kind == .session {
                body["csrf_token"] = .string(Authenticator.csrfToken(for: secret))
            }
            responder.json(.object(body), headers: [("Cache-Control", "no-store")])
        }
        router.add("DELETE", "/v1/session", .authenticated) { request, responder in
            guard let caller = request.caller(responder) else { return }
            signIn.signOut(caller, now: clock()) { result in
                responder.answer(result) {
                    responder.respond(HTTPResponse(status: 204, headers: [("Set-Cookie", cookie.clearing)], body: []))
                }
            }
        }
    }
}

/// The `Set-Cookie` values of the session cookie.
struct SessionCookie: Sendable {
    /// Add `Secure` (TLS on, or a TLS-terminating proxy in front).
    let secure: Bool
    let lifetimeMilliseconds: Int

    func setting(_ secret: String) -> String {
        "\(Authenticator.sessionCookie)=\(secret); Path=/; Max-Age=\(lifetimeMilliseconds / 1000); HttpOnly; "
            + "SameSite=Strict" + (secure ? "; Secure" : "")
    }

    var clearing: String {
        "\(Authenticator.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
