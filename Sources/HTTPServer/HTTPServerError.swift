/// Errors thrown by `HTTPServer`.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libmicrohttpd could not start (port in use, bad address, resources); the reason is its own log line
    /// when it gave one.
    case startFailed(String)

    public var description: String {
        switch self {
        case .startFailed(let reason): return "HTTP server failed to start: \(reason)"
        }
    }
}
