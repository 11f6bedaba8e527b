/// One complete HTTP request as parsed by libmicrohttpd, body included.
public struct HTTPRequest: Sendable {
    /// Request method as sent, e.g. "GET", "POST".
    public let method: String
    /// URL path without the query string, percent-decoded by the server: it starts with `/` and is well-formed
    /// UTF-8 without NUL or other control characters (requests whose path is not are `rejected` instead).
    public let path: String
    /// Query arguments, percent-decoded; when a name repeats, the first value wins.
    /// A bare `?flag` maps to the empty string.
    public let query: [String: String]
    public let headers: HTTPHeaders
    /// The body bytes exactly as received (after de-chunking); signatures are checked over these.
    public let body: [UInt8]
    /// Numeric client address ("127.0.0.1", "::1"), if the socket reported one.
    public let remoteAddress: String?

    public init(method: String,
                path: String,
                query: [String: String] = [:],
                headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [],
                remoteAddress: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }
}
