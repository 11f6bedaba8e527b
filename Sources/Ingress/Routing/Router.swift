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
    /// Routes without a placeholder, by their path with and without a trailing slash: a path such a route fits is
    /// fitted by no other route without a placeholder, and it beats every pattern with one (see
    /// ``isMoreSpecific(_:than:)``), so one lookup answers most requests.
    private var literalRoutes: [String: Int] = [:]
    /// Indices of the routes with a placeholder, by their number of segments, in registration order.
    private var patternRoutes: [Int: [Int]] = [:]

    public init() {}

    /// Adds `handler` for `method` on `pattern`, run only for callers the gate admits under `permission`.
    public mutating func add(_ method: String, _ pattern: String, _ permission: RoutePermission,
                             _ handler: @escaping RouteHandler) {
        if let index = routes.firstIndex(where: { $0.pattern == pattern }) {
            // Two handlers for one route: the later would silently win — a wiring mistake, refused at start.
            precondition(routes[index].handlers[method] == nil, "\(method) \(pattern) is registered twice")
            routes[index].handlers[method] = (permission, handler)
        } else {
            let segments = Self.split(pattern)
            if segments.contains(where: { $0.hasPrefix("{") }) {
                patternRoutes[segments.count, default: []].append(routes.count)
            } else {
                let path = "/" + segments.joined(separator: "/")
                literalRoutes[path] = routes.count
                literalRoutes[path + "/"] = routes.count
            }
            routes.append(Route(pattern: pattern, segments: segments, handlers: [method: (permission, handler)]))
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
        guard let (route, parameters) = literalRoutes[path].map({ (routes[$0], [:]) }) ?? bestPattern(for: path)
        else { return .notFound }
        // HEAD is answered like GET (libmicrohttpd drops the body).
        if let entry = route.handlers[method] ?? (method == "HEAD" ? route.handlers["GET"] : nil) {
            return .found(pattern: route.pattern, permission: entry.permission, handler: entry.handler,
                          parameters: parameters)
        }
        return .methodNotAllowed(pattern: route.pattern, allowed: route.handlers.keys.sorted())
    }

    /// The route with a placeholder that answers `path`, and the values of its placeholders; nil when none fits.
    private func bestPattern(for path: String) -> (Route, [String: String])? {
        let segments = Self.split(path)
        var best: (route: Route, parameters: [String: String])?
        for index in patternRoutes[segments.count] ?? [] {
            let route = routes[index]
            guard let parameters = Self.bind(route.segments, to: segments) else { continue }
            if let found = best, !Self.isMoreSpecific(route.segments, than: found.route.segments) { continue }
            best = (route, parameters)
        }
        return best
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
    /// Read byte by byte: it runs for every request.
    public static func pathDefect(_ path: String) -> String? {
        var bytes = path.utf8[...]
        guard bytes.popFirst() == UInt8(ascii: "/") else { return "it does not start with /" }
        var (hasEmpty, hasDots) = (false, false)
        var (length, dots) = (0, 0)
        func endSegment() {
            if length == 0 { hasEmpty = true } else if length == dots && length <= 2 { hasDots = true }
            (length, dots) = (0, 0)
        }
        for byte in bytes {
            if byte == UInt8(ascii: "/") {
                endSegment()
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        // The last segment, unless it is the one empty segment a trailing slash leaves.
        if length > 0 { endSegment() }
        if hasEmpty { return "it has an empty segment (//)" }
        if hasDots { return "it has a . or .. segment" }
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
