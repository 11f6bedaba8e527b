import Crypto
import Delivery
import Foundation
import GatewayKit
import HTTPServer

/// The last step every webhook shares: commit the verified delivery to the inbox, and only then answer. A duplicate
/// gets the answer stored the first time; a store failure is a 503 and the delivery is not acknowledged.
package struct InboxIngest: Sendable {
    let store: any GatewayStore
    let metrics: MetricsRegistry
    let log: EventLog
    /// Called after a new delivery is committed (wakes the normalizer).
    let onStored: @Sendable () -> Void
    /// Unix milliseconds: when a delivery was received (and the time part of its id).
    let clock: @Sendable () -> Int64

    /// Builds the acknowledgement body, appends, and responds.
    package func accept(_ request: RouteRequest, source: InboxSource, dedupeKey: String, status: Int,
                extra: [String: JSONValue] = [:], responder: Responder) {
        let receivedAt = clock()
        let publicID = Self.newDeliveryID(at: receivedAt)
        var ack = extra
        ack["status"] = "accepted"
        ack["inbox_id"] = .string(publicID)
        let body = JSONWriter.bytes(.object(ack))
        let delivery = NewDelivery(
            publicID: publicID, source: source, dedupeKey: dedupeKey,
            receivedAtMillis: receivedAt, requestID: request.requestID,
            traceparent: request.http.headers["traceparent"], body: request.http.body,
            responseStatus: status, responseBody: body)
        store.appendDelivery(delivery) { result in
            switch result {
            case .success(.stored):
                count(source, "accepted")
                responder.raw(body, status: status, contentType: "application/json")
                onStored()
            case .success(.duplicate(let firstID, let firstStatus, let firstBody)):
                count(source, "duplicate")
                log.info("webhook_duplicate", ["source": source.rawValue, "inbox_id": firstID,
                                               "request_id": request.requestID])
                responder.raw(firstBody, status: firstStatus, contentType: "application/json")
            case .failure(let error):
                count(source, "store_unavailable")
                log.error("inbox_append_failed", ["source": source.rawValue, "request_id": request.requestID,
                                                  "error": "\(error)"])
                responder.problem(error)
            }
        }
    }

    /// Counts a webhook by source and outcome (`accepted`, `duplicate`, `rejected_signature`, `invalid`, ...).
    package func count(_ source: InboxSource, _ outcome: String) {
        metrics.increment("gateway_webhooks_total", [("source", source.rawValue), ("outcome", outcome)],
                          help: "Inbound webhooks by source and outcome")
    }

    /// Rejects a request with a problem, counting it under `outcome`.
    package func reject(_ source: InboxSource, _ outcome: String, _ error: GatewayError, _ request: RouteRequest,
                _ responder: Responder) {
        count(source, outcome)
        log.warning("webhook_rejected", ["source": source.rawValue, "outcome": outcome,
                                         "request_id": request.requestID])
        responder.problem(error)
    }

    /// Parses the body as JSON, or rejects with 400 naming the problem; only the outer `levels` levels of
    /// containers are built when the route reads no deeper (the whole body is checked either way).
    package func parseJSON(_ source: InboxSource, _ request: RouteRequest, _ responder: Responder,
                           levels: Int = JSONParser.maxDepth) -> JSONValue? {
        do {
            return try JSONParser.parse(request.http.body, outerLevels: levels)
        } catch {
            reject(source, "invalid", .malformedJSON(error), request, responder)
            return nil
        }
    }

    /// Time-ordered, unguessable id: 12 hex digits of the receiving time (unix ms), then 16 random hex digits.
    static func newDeliveryID(at receivedAt: Int64) -> String {
        let millis = UInt64(max(0, receivedAt))
        let time = String(millis, radix: 16)
        return "inb_" + String(repeating: "0", count: max(0, 12 - time.count)) + time + Hex.encode(SecureRandom.bytes(8))
    }
}
