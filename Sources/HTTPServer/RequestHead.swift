import Foundation

/// Everything about a request except its body, captured when libmicrohttpd first presents it.
struct RequestHead: Sendable {
    let method: String
    let path: String
    let query: [String: String]
    let headers: HTTPHeaders
    let remoteAddress: String?

    /// The declared body length, if the client sent a Content-Length that parses. libmicrohttpd
    /// itself rejects malformed values with 400 before we see the request, so nil mostly means
    /// "chunked or no body".
    var declaredContentLength: UInt64? {
        headers["Content-Length"].flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    func request(body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: method, path: path, query: query, headers: headers,
                    body: body, remoteAddress: remoteAddress)
    }
}
