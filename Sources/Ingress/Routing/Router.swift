import Access
import HTTPServer

/// What a route handler receives: the raw request plus what routing and the access gate worked out.
public struct RouteRequest: Sendable {
    public let http: HTTPRequest
    public let requestID: String
    /// Values of `{name}` segments in the route pattern.
    public let parameters: [String: String]
    /// Who is calling, with the request's id and address: set on every route that declares a permission (the gate
    /// refused the request otherwise), nil on open routes.
    public let caller: Caller?
}

/// A route's code. It answers through the ``Responder`` exactly once, synchronously or later from any thread.
public typealias RouteHandler = @Sendable (RouteRequest, Responder) -> Void

/// Maps method + path to handlers. Patterns are literal segments or `{name}` placeholders (`/v1/deals/{id}`), which
/// may end in a literal (`/v1/exports/{kind}.csv`).
/// Every route is registered with its ``RoutePermission`` — there is no way to add one without — and the
/// ``AccessGate`` checks it before the handler runs, so a new route is protected by default.
/// A known path with an unregistered method is a 405 (with `Allow`), an unknown path a 404, and a path no route
/// could have (see ``pathDefect(_:)``) a 400, so that no odd spelling of a path reaches a route.
public struct Router: Sendable {
    public enum Match: Sendable {
        case found(pattern: String, permission: RoutePermission, handler: RouteHandler, parameters: [String: String])
        case methodNotAllowed(pattern: String, allowed: [String])
        case notFound
        /// The path is malformed; `reason` says how.
        case invalidPath(reason: String)
    }

    private struct Route: Sendable {
        let pattern: String
        let segments: [Substring]
        var handlers: [String: (permission: RoutePermission, handler: RouteHandler)]
    }

    private var routes: [Route] = []

    public init() {}

    /// Adds `handler` for `method` on `pattern`, run only for callers the gate admits under `permission`.
    public mutating func add(_ method: String, _ pattern: String, _ permission: RoutePermission,
                             _ handler: @escaping RouteHandler) {
        if let index = routes.firstIndex(where: { $0.pattern == pattern }) {
            // Two handlers for one route: the later would silently win — a wiring mistake, refused at start.
            precondition(routes[index].handlers[method] == nil, "\(method) \(pattern) is registered twice")
            routes[index].handlers[method] = (permission, handler)
        } else {
            routes.append(Route(pattern: pattern, segments: Self.split(pattern),
                                handlers: [method: (permission, handler)]))
        }
    }

    /// Every registered route with its permission, in registration order (methods of one pattern sorted). Read-only:
    /// it lets tests hold the served routes against `openapi.yaml` and against every role without repeating the
    /// route table.
    public var registeredRoutes: [(method: String, pattern: String, permission: RoutePermission)] {
        routes.flatMap { route in
            route.handlers.sorted { $0.key < $1.key }.map {
                (method: $0.key, pattern: route.pattern, permission: $0.value.permission)
            }
        }
    }

    public func match(method: String, path: String) -> Match {
        if let reason = Self.pathDefect(path) { return .invalidPath(reason: reason) }
        let segments = Self.split(path)
        var best: (route: Route, parameters: [String: String])?
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: segments) else { continue }
            if let found = best, !Self.isMoreSpecific(route.segments, than: found.route.segments) { continue }
            best = (route, parameters)
        }
        guard let (route, parameters) = best else { return .notFound }
        // HEAD is answered like GET (libmicrohttpd drops the body).
        if let entry = route.handlers[method] ?? (method == "HEAD" ? route.handlers["GET"] : nil) {
            return .found(pattern: route.pattern, permission: entry.permission, handler: entry.handler,
                          parameters: parameters)
        }
        return .methodNotAllowed(pattern: route.pattern, allowed: route.handlers.keys.sorted())
    }

    /// Of two patterns that fit one path, the one with a literal where the other has a placeholder — the first such
    /// segment decides — answers it (`/v1/tickets/assignments` before `/v1/tickets/{id}`), whichever feature
    /// registered first; patterns alike in that are taken in registration order.
    private static func isMoreSpecific(_ pattern: [Substring], than other: [Substring]) -> Bool {
        for (mine, theirs) in zip(pattern, other) {
            let (literal, otherLiteral) = (!mine.hasPrefix("{"), !theirs.hasPrefix("{"))
            if literal != otherLiteral { return literal }
        }
        return false
    }

    /// Why `path` cannot name a route, or nil when it can. One trailing slash is tolerated (`/healthz/` is
    /// `/healthz`), but an empty segment elsewhere (`/v1//deals`) or a dot segment (`.`, `..`) is refused rather
    /// than skipped or resolved: otherwise two spellings would reach one route, and a proxy in front that
    /// normalises paths its own way could be steered past its rules.
    public static func pathDefect(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "it does not start with /" }
        var segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.last?.isEmpty == true { segments.removeLast() }
        if segments.contains(where: \.isEmpty) { return "it has an empty segment (//)" }
        if segments.contains(where: { $0 == "." || $0 == ".." }) { return "it has a . or .. segment" }
        return nil
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func bind(_ pattern: [Substring], to path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix("{"), let close = expected.firstIndex(of: "}") {
                // `{name}` or `{name}.ext`: a literal after the placeholder must end the segment, after a non-empty value.
                let suffix = expected[expected.index(after: close)...]
                guard actual.count > suffix.count, actual.hasSuffix(suffix) else { return nil }
                parameters[String(expected[expected.index(after: expected.startIndex)..<close])] =
                    String(actual.dropLast(suffix.count))
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}
