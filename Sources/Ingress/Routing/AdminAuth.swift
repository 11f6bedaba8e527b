import Crypto
import GatewayKit
import HTTPServer

/// The gate in front of admin routes: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. With no
/// admin token configured the admin API is closed (every call 401), never open. Later roles add more gates of this
/// shape; a route states which one guards it where it is registered.
package struct AdminAuth: Sendable {
    /// SHA-256 of the token: comparing digests keeps the comparison constant-time even in the token's length.
    private let tokenDigest: [UInt8]?

    init(token: String?) {
        tokenDigest = token.flatMap { $0.isEmpty ? nil : SHA256Digest.hash(Array($0.utf8)) }
    }

    /// `handler`, run only for callers with the admin token; everyone else gets a 401 problem with
    /// `WWW-Authenticate: Bearer`.
    package func protect(_ handler: @escaping RouteHandler) -> RouteHandler {
        let digest = tokenDigest
        return { request, responder in
            if let refusal = Self.refusal(request.http.headers["Authorization"], expectedDigest: digest) {
                responder.problem(.unauthorized(refusal), headers: [("WWW-Authenticate", #"Bearer realm="admin""#)])
                return
            }
            handler(request, responder)
        }
    }

    /// Why `header` does not grant access, or nil when it does.
    static func refusal(_ header: String?, expectedDigest: [UInt8]?) -> String? {
        guard let expectedDigest else { return "the admin API is closed: no ADMIN_TOKEN is configured" }
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            return "an Authorization: Bearer token is required"
        }
        let presented = SHA256Digest.hash(Array(header.dropFirst(7).utf8))
        guard ConstantTime.equals(presented, expectedDigest) else { return "the bearer token is not valid" }
        return nil
    }
}
