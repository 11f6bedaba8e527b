import Crypto
import Foundation
import GatewayKit
import HTTPServer

/// The gateway's entry point for every HTTP request: assigns the request id, finds the route, lets the access gate
/// check the caller against the route's permission, times the request and counts it by route and status. Route
/// handlers never see an unrouted, unauthorized, oversized or malformed request: those get a problem+json from here.
public final class GatewayHTTPHandler: HTTPHandler, @unchecked Sendable {
    public static let requestIDHeader = "X-Request-Id"
    private let router: Router
    private let requests: RequestMetrics
    private let gate: AccessGate

    init(router: Router, metrics: MetricsRegistry, gate: AccessGate) {
        self.router = router
        requests = RequestMetrics(metrics: metrics)
        self.gate = gate
    }

    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let requestID = Self.requestID(from: request.headers[Self.requestIDHeader])
        let started = DispatchTime.now().uptimeNanoseconds
        let match = router.match(method: request.method, path: request.path)
        let routeLabel: String
        switch match {
        case .found(let pattern, _, _, _), .methodNotAllowed(let pattern, _): routeLabel = pattern
        case .notFound: routeLabel = "unmatched"
        case .invalidPath: routeLabel = "invalid_path"
        }
        let requests = self.requests
        let method = request.method
        let responder = Responder { response in
            var response = response
            response.headers.append((Self.requestIDHeader, requestID))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            requests.count(route: routeLabel, method: method, status: response.status)
            requests.observe(route: routeLabel, seconds: seconds)
            respond(response)
        }
        switch match {
        case .found(_, let permission, let handler, let parameters):
            switch gate.admit(request, requestID: requestID, as: permission) {
            case .failure(let refusal): responder.problem(refusal.error, headers: refusal.headers)
            case .success(let caller):
                handler(RouteRequest(http: request, requestID: requestID, parameters: parameters, caller: caller),
                        responder)
            }
        case .methodNotAllowed(_, let allowed):
            responder.problem(.methodNotAllowed(allowed: allowed), headers: [("Allow", allowed.joined(separator: ", "))])
        case .notFound:
            responder.problem(.notFound("no route for \(request.path)"))
        case .invalidPath(let reason):
            let shown = request.path.count > 256 ? request.path.prefix(256) + "…" : request.path
            responder.respond(Responder.response(for: .invalidPath(shown, reason: reason)))
        }
    }

    public func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse {
        let requestID = Self.requestID(from: request.headers[Self.requestIDHeader])
        requests.count(route: "oversized", method: request.method, status: 413)
        return Responder.response(for: .payloadTooLarge(limit: limit), headers: [(Self.requestIDHeader, requestID)])
    }

    /// The server's own refusals (malformed path, oversized head) as problem+json, counted like routed requests.
    public func rejected(_ request: HTTPRequest, because rejection: HTTPRequestRejection) -> HTTPResponse {
        let requestID = Self.requestID(from: request.headers[Self.requestIDHeader])
        let route: String
        switch rejection {
        case .headTooLarge: route = "oversized_head"
        case .invalidPath: route = "invalid_path"
        }
        requests.count(route: route, method: request.method, status: rejection.status)
        return Responder.response(for: Problem(rejection), headers: [(Self.requestIDHeader, requestID)])
    }

    /// Echoes a caller's id when it is short printable ASCII (it ends up in logs), otherwise makes a new one.
    static func requestID(from header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 128,
           header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return header
        }
        return Hex.encode(SecureRandom.bytes(12))
    }
}
