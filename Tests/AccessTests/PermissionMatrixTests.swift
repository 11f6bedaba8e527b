import Access
import GatewayKit
import GatewayTestSupport
import Ingress
import HTTPClient
import HTTPTesting
import XCTest

/// Every route the app registers, called without a credential and with a token of every role: built from the router's
/// own table, so a new route is in it the moment it is registered (and it cannot be registered without a permission).
final class PermissionMatrixTests: XCTestCase {
    /// The only routes anyone may call without a credential: probes, the signed webhooks, the sign-in, the first
    /// admin's creation with the one-time setup code, and the console's own files (its data comes from `/v1`).
    static let openRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /webhooks/whatsapp", "POST /webhooks/whatsapp",
        "POST /webhooks/chatbot", "POST /webhooks/agent", "POST /v1/session", "POST /v1/setup",
        "GET /console", "GET /console/{page}", "GET /console/{page}/{id}", "GET /console/assets/{file}",
    ]

    /// Routes whose records carry no outlet to scope them by: a scoped caller with the permission still gets 403.
    static let unrestrictedOnly: Set<String> = [
        "POST /v1/contacts", "POST /v1/whatsapp/messages", "GET /v1/whatsapp/messages/{id}", "GET /v1/whatsapp/messages",
        "GET /v1/segments/{id}/members", "POST /v1/contact-fields/import", "POST /v1/segments/{id}/campaigns",
        "GET /v1/segments/{id}/campaigns", "GET /v1/campaigns/{id}", "GET /v1/campaigns/{id}/recipients",
        "POST /v1/campaigns/{id}/cancel", "POST /v1/leads",
    ]

    /// Routes that answer with an endless event stream: their status line is read, not their body.
    static let eventStreams: Set<String> = ["GET /v1/stream"]

    /// Every route, without a credential and with a token of every role — unrestricted and scoped to a franchise
    /// with no records: the permission decides 403 the same way for both (visibility inside a scope is
    /// ``ScopeVisibilityTests``' business).
    func testEveryRouteAdmitsExactlyTheRolesWithItsPermission() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        var tokens: [Role: String] = [:]
        var scopedTokens: [Role: String] = [:]
        for role in Role.allCases {
            tokens[role] = try gateway.token(role: role.rawValue)
            scopedTokens[role] = try gateway.token(role: role.rawValue, scope: ["F9"], name: "\(role)-scoped")
        }
        let routes = gateway.app.router.registeredRoutes
        XCTAssertGreaterThan(routes.count, 60)

        let open = Set(routes.filter { $0.permission.name == "open" }.map { "\($0.method) \($0.pattern)" })
        XCTAssertEqual(open, Self.openRoutes, "a route open to anyone must be a deliberate choice")

        for route in routes where route.permission.name != "open" {
            // Parameters that name nothing: the check must come before any lookup, and nothing real is touched.
            let path = route.pattern.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "999999",
                                                          options: .regularExpression)
            let label = "\(route.method) \(route.pattern)"
            let anonymous = try gateway.request(route.method, path, headers: [("Content-Type", "application/json")],
                                                body: Array("{}".utf8))
            XCTAssertEqual(anonymous.status, 401, "\(label) without a credential")
            for role in Role.allCases {
                for (scoped, token) in [(false, tokens[role]), (true, scopedTokens[role])] {
                    let response = Self.eventStreams.contains(label)
                        ? try Self.streamStatus(gateway, path, token: token)
                        : try gateway.admin(route.method, path, body: "{}", token: token).statusAndText
                    let who = "\(label) as \(role)\(scoped ? " scoped to F9" : ""): \(response.text)"
                    switch route.permission {
                    case .requires(let permission) where !role.allows(permission):
                        XCTAssertEqual(response.status, 403, who)
                    case _ where scoped && Self.unrestrictedOnly.contains("\(route.method) \(route.pattern)"):
                        XCTAssertEqual(response.status, 403, who)
                    default:
                        XCTAssertFalse([401, 403].contains(response.status), who)
                    }
                }
            }
        }
    }

    /// The status of an event stream (and its problem text), the connection closed once it is read.
    private static func streamStatus(_ gateway: TestGateway, _ path: String, token: String?) throws
        -> (status: Int, text: String) {
        let stream = try TestEventStream(port: gateway.app.port, path: path,
                                         headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
        return (stream.status, stream.problemText)
    }
}

private extension ClientResponse {
    var statusAndText: (status: Int, text: String) { (status, text) }
}
