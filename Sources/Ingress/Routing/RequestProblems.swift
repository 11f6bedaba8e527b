import GatewayKit
import HTTPServer

/// Problems about the request itself rather than its content, found by the server or the router before a route runs.
extension Problem {
    /// 400: the path cannot name a route (malformed encoding, NUL, empty or dot segments); `path` as sent.
    static func invalidPath(_ path: String, reason: String) -> Problem {
        Problem(status: 400, type: "invalid-path", title: "Request path is not valid",
                detail: "the request path \(path) is not valid: \(reason)",
                errors: [FieldError(field: "path", message: reason)])
    }

    /// 431: the request line and header fields are larger than the server reads.
    static func headTooLarge(limit: Int) -> Problem {
        Problem(status: 431, type: "request-head-too-large", title: "Request header fields too large",
                detail: "the request line and header fields exceed the limit of \(limit) bytes",
                errors: [FieldError(field: "headers", message: "exceed \(limit) bytes")])
    }

    /// The problem for a request the HTTP server refused by itself.
    init(_ rejection: HTTPRequestRejection) {
        switch rejection {
        case .headTooLarge(let limit): self = .headTooLarge(limit: limit)
        case .invalidPath(let path, let reason): self = .invalidPath(path, reason: reason)
        }
    }
}
