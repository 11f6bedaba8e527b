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

    /// The `{id}` path parameter (or another, `parameter`) as a record id, or nil after answering the 400.
    func recordID(_ responder: Responder, parameter: String = "id") -> Int64? {
        guard let id = parameters[parameter].flatMap(Int64.init), id > 0 else {
            responder.problem(.validation([FieldError(field: parameter, message: "must be a positive integer record id")]))
            return nil
        }
        return id
    }

    /// The optional `Idempotency-Key` header (1–200 visible ASCII characters) and the JSON body of a send, or nil
    /// after answering the 400 for either.
    func keyedJSONBody(_ responder: Responder) -> (key: String?, body: JSONValue)? {
        guard let key = idempotencyKey(responder) else { return nil }
        return jsonBody(responder).map { (key, $0) }
    }

    /// The optional `Idempotency-Key` header (1–200 visible ASCII characters): `.some(nil)` when absent, nil after
    /// answering the 400 for a malformed one.
    func idempotencyKey(_ responder: Responder) -> String?? {
        guard let key = http.headers["Idempotency-Key"] else { return .some(nil) }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            responder.problem(.validation([FieldError(field: "Idempotency-Key",
                                                      message: "must be 1-200 visible ASCII characters")]))
            return nil
        }
        return .some(key)
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
