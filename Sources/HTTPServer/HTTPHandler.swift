/// Application code behind an `HTTPServer`.
public protocol HTTPHandler: Sendable {
    /// Called on a libmicrohttpd thread once the whole body is in. Call `respond` exactly once, either before
    /// returning (synchronous) or later from ANY thread (asynchronous: the connection is suspended meanwhile,
    /// so MHD threads are never blocked waiting for e.g. a database group commit). Calls after the first are
    /// ignored.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)

    /// Called instead of `handle` when the body exceeds the limit (`request.body` is empty). Typically a 413.
    /// Runs on a libmicrohttpd thread and must not block.
    func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse

    /// Called instead of `handle` for a request the server refuses by itself (`request.body` is empty; for an
    /// invalid path `request.path` is the path as sent, made printable). Runs on a libmicrohttpd thread and must
    /// not block.
    func rejected(_ request: HTTPRequest, because rejection: HTTPRequestRejection) -> HTTPResponse
}

extension HTTPHandler {
    /// A plain-text 413 naming the limit.
    public func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse {
        .text("request body exceeds \(limit) bytes\n", status: 413)
    }

    /// A plain-text answer with the rejection's status.
    public func rejected(_ request: HTTPRequest, because rejection: HTTPRequestRejection) -> HTTPResponse {
        .text("\(rejection)\n", status: rejection.status)
    }
}
