import HTTPServer

/// What a route handler receives: the raw request plus what routing worked out.
public struct RouteRequest: Sendable {
    public let http: HTTPRequest
    public let requestID: String
    /// Values of `{name}` segments in the route pattern.
    public let parameters: [String: String]
}

/// A route's code. It answers through the ``Responder`` exactly once, synchronously or later from any thread.
public typealias RouteHandler = @Sendable (RouteRequest, Responder) -> Void

/// Maps method + path to handlers. Patterns are literal segments or `{name}` placeholders (`/v1/deals/{id}`).
/// A known path with an unregistered method is a 405 (with `Allow`), an unknown path a 404.
public struct Router: Sendable {
    public enum Match: Sendable {
        case found(pattern: String, handler: RouteHandler, parameters: [String: String])
        case methodNotAllowed(pattern: String, allowed: [String])
        case notFound
    }

    private struct Route: Sendable {
        let pattern: String
        let segments: [Substring]
        var handlers: [String: RouteHandler]
    }

    private var routes: [Route] = []

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        if let index = routes.firstIndex(where: { $0.pattern == pattern }) {
            routes[index].handlers[method] = handler
        } else {
            routes.append(Route(pattern: pattern, segments: Self.split(pattern), handlers: [method: handler]))
        }
    }

    /// Every registered `(method, pattern)` pair, in registration order (methods of one pattern sorted). Read-only:
    /// it lets a test hold the served routes against `openapi.yaml` without repeating the route table.
    public var registeredRoutes: [(method: String, pattern: String)] {
        routes.flatMap { route in route.handlers.keys.sorted().map { (method: $0, pattern: route.pattern) } }
    }

    public func match(method: String, path: String) -> Match {
        let segments = Self.split(path)
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: segments) else { continue }
            // HEAD is answered like GET (libmicrohttpd drops the body).
            if let handler = route.handlers[method] ?? (method == "HEAD" ? route.handlers["GET"] : nil) {
                return .found(pattern: route.pattern, handler: handler, parameters: parameters)
            }
            return .methodNotAllowed(pattern: route.pattern, allowed: route.handlers.keys.sorted())
        }
        return .notFound
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func bind(_ pattern: [Substring], to path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix("{"), expected.hasSuffix("}") {
                parameters[String(expected.dropFirst().dropLast())] = String(actual)
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}
