/// Why the server answered a request itself, through `HTTPHandler.rejected`, instead of calling `handle`.
public enum HTTPRequestRejection: Sendable, Equatable, CustomStringConvertible {
    /// The request line and header fields together are larger than `HTTPServerConfiguration.maxHeaderBytes`.
    case headTooLarge(limit: Int)
    /// The request target's path does not decode to a clean path (see `HTTPRequest.path`). `path` is the path as
    /// sent, with bytes outside printable ASCII written `%XX` and long ones cut; `reason` says what is wrong.
    case invalidPath(path: String, reason: String)

    /// The status the rejection calls for.
    public var status: Int {
        switch self {
        case .headTooLarge: return 431
        case .invalidPath: return 400
        }
    }

    public var description: String {
        switch self {
        case .headTooLarge(let limit): return "the request line and header fields exceed \(limit) bytes"
        case .invalidPath(let path, let reason): return "the request path \(path) is not valid: \(reason)"
        }
    }
}
