import Access
import GatewayKit
import HTTPServer

/// The one check between routing and every handler: works out the caller (``Authenticator``), then holds it against
/// the route's declared ``RoutePermission``. 401 (with `WWW-Authenticate: Bearer`) without a valid credential, 403
/// without the permission, 403 for a state-changing request made with the session cookie but without its CSRF token
/// (`X-CSRF-Token`). Scope — which records a caller sees — is each route's business: it answers 404 for records
/// outside the caller's scope.
struct AccessGate: Sendable {
    let authenticator: Authenticator
    /// The allow-list and rate limits of `/v1` and the console.
    let perimeter: Perimeter
    /// Unix milliseconds (the app's clock: token expiry, session idle time).
    let clock: @Sendable () -> Int64

    /// Methods that change nothing, so need no CSRF token.
    private static let safeMethods: Set<String> = ["GET", "HEAD", "OPTIONS"]

    /// The caller `request` may proceed as (nil on an open route), or the refusal to send.
    func admit(_ request: HTTPRequest, requestID: String,
               as permission: RoutePermission) -> Result<Caller?, Refusal> {
        let now = clock()
        let guarded = request.path.hasPrefix("/v1/") || request.path == "/v1" || request.path.hasPrefix("/console")
        if guarded, let refusal = perimeter.admit(address: request.remoteAddress, now: now) {
            return .failure(Refusal(refusal))
        }
        if case .open = permission { return .success(nil) }
        let authentication: Authenticator.Authentication
        switch authenticator.authenticate(authorization: request.headers["Authorization"],
                                          cookie: request.headers["Cookie"], now: now) {
        case .failure(let refused):
            return .failure(Refusal(error: .unauthorized(refused.reason),
                                    headers: [("WWW-Authenticate", #"Bearer realm="gateway""#)]))
        case .success(let found): authentication = found
        }
        let principal = authentication.principal
        if let refusal = perimeter.admit(principal, now: now) { return .failure(Refusal(refusal)) }
        if case .requires(let needed) = permission, !principal.allows(needed) {
            return .failure(Refusal(error: .forbidden(
                "this needs the \(needed.rawValue) permission, which the \(principal.role.rawValue) role does not have")))
        }
        if let secret = authentication.sessionSecret, !Self.safeMethods.contains(request.method) {
            guard let presented = request.headers[Authenticator.csrfHeader],
                  CredentialSecret.equal(presented, Authenticator.csrfToken(for: secret))
            else {
                return .failure(Refusal(error: .forbidden(
                    "a request signed in with the session cookie must carry its \(Authenticator.csrfHeader) header")))
            }
        }
        return .success(Caller(principal: principal, requestID: requestID, sourceIP: request.remoteAddress))
    }

    /// Why a request does not reach its handler.
    struct Refusal: Error {
        let error: GatewayError
        var headers: [(String, String)] = []

        init(error: GatewayError, headers: [(String, String)] = []) {
            self.error = error
            self.headers = headers
        }

        init(_ refusal: Perimeter.Refusal) {
            switch refusal {
            case .addressNotAllowed(let address):
                error = .forbidden("requests from \(address) are not allowed here (access.allowed_networks)")
            case .tooManyRequests(let seconds):
                error = .tooManyRequests("too many requests; slow down", retryAfterSeconds: seconds)
            }
            headers = []
        }
    }
}

extension RouteRequest {
    /// The caller of a route whose records carry no outlet to scope them by (any phone's WhatsApp messages): only
    /// unrestricted callers may use it; a scoped one gets 403 naming `why` and what to use instead.
    func unrestrictedCaller(_ responder: Responder, _ why: String) -> Caller? {
        guard let caller = caller(responder) else { return nil }
        guard caller.principal.scope.isUnrestricted else {
            responder.problem(.forbidden("this needs an unrestricted scope: \(why)"))
            return nil
        }
        return caller
    }

    /// The caller of a route that declares a permission; on an open route (no caller) answers 401 and returns nil.
    func caller(_ responder: Responder) -> Caller? {
        guard let caller else {
            responder.problem(.unauthorized("credentials are required"))
            return nil
        }
        return caller
    }
}
