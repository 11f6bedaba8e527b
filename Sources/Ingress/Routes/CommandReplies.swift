import Delivery
import Foundation
import GatewayKit
import HTTPServer

/// How record-command answers go out: the stored reply as it is (so a replay is byte-for-byte the first answer), and
/// the request's trace context as commands carry it onward.
extension Responder {
    /// Sends a command's reply; a replayed one is marked with `Idempotent-Replayed: true`.
    func reply(_ reply: CommandReply) {
        let headers: [(String, String)] = reply.replayed ? [("Idempotent-Replayed", "true")] : []
        if reply.body.isEmpty {
            respond(HTTPResponse(status: reply.status, headers: headers, body: []))
        } else {
            raw(reply.body, status: reply.status, contentType: "application/json", headers: headers)
        }
    }
}

extension RouteRequest {
    /// The caller's W3C trace context when well-formed, else a new one: carried into the inbox and on to the
    /// Omnichannel events the command causes. Read it once per request (a new trace is random each time).
    var traceContext: String { TraceParent.continuing(http.headers["traceparent"]) }

    /// The `{id}` path parameter as a record id, or nil after answering the 400.
    func recordID(_ responder: Responder) -> Int64? {
        guard let id = parameters["id"].flatMap(Int64.init), id > 0 else {
            responder.problem(.validation([FieldError(field: "id", message: "must be a positive integer record id")]))
            return nil
        }
        return id
    }

    /// The optional `Idempotency-Key` header (1–200 visible ASCII characters) and the JSON body of a send, or nil
    /// after answering the 400 for either.
    func keyedJSONBody(_ responder: Responder) -> (key: String?, body: JSONValue)? {
        let key = http.headers["Idempotency-Key"]
        if let key, !(1...200).contains(key.utf8.count) || !key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            responder.problem(.validation([FieldError(field: "Idempotency-Key",
                                                      message: "must be 1-200 visible ASCII characters")]))
            return nil
        }
        return jsonBody(responder).map { (key, $0) }
    }

    /// The body as JSON, or nil after answering the 400 (syntax, invalid UTF-8).
    func jsonBody(_ responder: Responder) -> JSONValue? {
        do {
            return try JSONParser.parse(http.body)
        } catch {
            responder.problem(.malformedJSON(error))
            return nil
        }
    }
}
