import Foundation
import GatewayCore
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
    /// The caller's W3C `traceparent`, when it is a plausible one (it is sent on to Omnichannel as a header).
    var traceparent: String? {
        guard let value = http.headers["traceparent"], value.utf8.count == 55,
              value.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        return value
    }

    /// Unix milliseconds now.
    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
