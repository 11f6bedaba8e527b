/// What a handler answers. libmicrohttpd adds Date, Content-Length (or chunked transfer encoding for a stream) and
/// connection management.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Extra header lines. Lines libmicrohttpd refuses (CR/LF in a value, a hand-set
    /// Content-Length) are dropped rather than sent.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// A body produced while the client reads it (see ``HTTPBodyStream``); when set, `body` is not sent.
    public var stream: HTTPBodyStream?

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response whose body is `stream`, sent chunked as it is produced.
    public init(status: Int, headers: [(String, String)] = [], stream: HTTPBodyStream) {
        self.init(status: status, headers: headers)
        self.stream = stream
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ s: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status,
                     headers: [("Content-Type", "text/plain; charset=utf-8")],
                     body: Array(s.utf8))
    }
}
