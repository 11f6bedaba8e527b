import GatewayKit
import HTTPServer

/// Sends the one answer to a request. Wraps the server's callback so every response carries the request id, and every
/// error goes through ``Problem`` — the single place where errors become HTTP.
public struct Responder: Sendable {
    private let send: @Sendable (HTTPResponse) -> Void

    init(send: @escaping @Sendable (HTTPResponse) -> Void) {
        self.send = send
    }

    public func respond(_ response: HTTPResponse) { send(response) }

    public func json(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = []) {
        raw(JSONWriter.bytes(value), status: status, contentType: "application/json", headers: headers)
    }

    /// A body that is already serialized JSON (e.g. a stored response replayed byte-for-byte).
    public func raw(_ body: [UInt8], status: Int, contentType: String, headers: [(String, String)] = []) {
        // Room for the request id added on the way out: the header list is then allocated once per answer.
        var all: [(String, String)] = []
        all.reserveCapacity(headers.count + 2)
        all.append(("Content-Type", contentType))
        all.append(contentsOf: headers)
        send(HTTPResponse(status: status, headers: all, body: body))
    }

    public func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") {
        raw(Array(text.utf8), status: status, contentType: contentType)
    }

    /// 204 without a body (a deletion).
    public func noContent() { send(HTTPResponse(status: 204, headers: [], body: [])) }

    public func problem(_ error: GatewayError, headers: [(String, String)] = []) {
        send(Self.response(for: error, headers: headers))
    }

    /// The HTTP form of an error; also used by the server for bodies over the limit.
    public static func response(for error: GatewayError, headers: [(String, String)] = []) -> HTTPResponse {
        response(for: Problem(error), headers: headers)
    }

    /// The HTTP form of a problem the HTTP layer finds before any domain code runs (malformed paths, oversized heads).
    public static func response(for problem: Problem, headers: [(String, String)] = []) -> HTTPResponse {
        var all = [("Content-Type", Problem.contentType)] + headers
        if let seconds = problem.retryAfterSeconds { all.append(("Retry-After", String(seconds))) }
        return HTTPResponse(status: problem.status, headers: all, body: JSONWriter.bytes(problem.json))
    }
}
