import Crypto
import Delivery
import Foundation
import GatewayKit
import HTTPServer

/// The last step every webhook shares: commit the verified delivery to the inbox, and only then answer. A duplicate
/// gets the answer stored the first time; a store failure is a 503 and the delivery is not acknowledged.
package struct InboxIngest: Sendable {
    let store: any GatewayStore
    let log: EventLog
    /// Called after a new delivery is committed (wakes the normalizer).
    let onStored: @Sendable () -> Void
    /// Unix milliseconds: when a delivery was received (and the time part of its id).
    let clock: @Sendable () -> Int64
    private let counts: WebhookCounts

    package init(store: any GatewayStore, metrics: MetricsRegistry, log: EventLog, onStored: @escaping @Sendable () -> Void,
                 clock: @escaping @Sendable () -> Int64) {
        self.store = store
        self.log = log
        self.onStored = onStored
        self.clock = clock
        counts = WebhookCounts(metrics: metrics)
    }

    /// Builds the acknowledgement body, appends, and responds.
    package func accept(_ request: RouteRequest, source: InboxSource, dedupeKey: String, status: Int,
                extra: [String: JSONValue] = [:], responder: Responder) {
        let receivedAt = clock()
        let publicID = Self.newDeliveryID(at: receivedAt)
        let body: [UInt8]
        if extra.isEmpty {
            body = Self.acknowledgement(publicID)
        } else {
            var ack = extra
            ack["status"] = "accepted"
            ack["inbox_id"] = .string(publicID)
            body = JSONWriter.bytes(.object(ack))
        }
        let delivery = NewDelivery(
            publicID: publicID, source: source, dedupeKey: dedupeKey,
            receivedAtMillis: receivedAt, requestID: request.requestID,
            traceparent: request.http.headers["traceparent"], body: request.http.body,
            responseStatus: status, responseBody: body)
        // The completion keeps only the request's id, not the request: the body and headers go once they are logged.
        let requestID = request.requestID
        store.appendDelivery(delivery) { result in
            switch result {
            case .success(.stored):
                count(source, "accepted")
                responder.raw(body, status: status, contentType: "application/json")
                onStored()
            case .success(.duplicate(let firstID, let firstStatus, let firstBody)):
                count(source, "duplicate")
                log.info("webhook_duplicate", ["source": source.rawValue, "inbox_id": firstID,
                                               "request_id": requestID])
                responder.raw(firstBody, status: firstStatus, contentType: "application/json")
            case .failure(let error):
                count(source, "store_unavailable")
                log.error("inbox_append_failed", ["source": source.rawValue, "request_id": requestID,
                                                  "error": "\(error)"])
                responder.problem(error)
            }
        }
    }

    /// Counts a webhook by source and outcome (`accepted`, `duplicate`, `rejected_signature`, `invalid`, ...).
    package func count(_ source: InboxSource, _ outcome: String) {
        counts.increment(source, outcome)
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

    /// `{"inbox_id":"<id>","status":"accepted"}`, byte for byte what `JSONWriter` makes of those two members (keys
    /// sorted; an id needs no escaping), written directly: every acknowledgement without extra members is this.
    static func acknowledgement(_ publicID: String) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(64)
        body.append(contentsOf: #"{"inbox_id":""#.utf8)
        body.append(contentsOf: publicID.utf8)
        body.append(contentsOf: #"","status":"accepted"}"#.utf8)
        return body
    }

    /// Time-ordered, unguessable id: 12 hex digits of the receiving time (unix ms), then 16 random hex digits. Written
    /// straight into the string's storage, the random bytes taken onto the stack: one allocation for every delivery.
    static func newDeliveryID(at receivedAt: Int64) -> String {
        let millis = UInt64(max(0, receivedAt))
        // Times past 12 hex digits (the year 10889) keep all their digits.
        let timeDigits = max(12, (64 - millis.leadingZeroBitCount + 3) / 4)
        let prefix = "inb_".utf8
        return String(unsafeUninitializedCapacity: prefix.count + timeDigits + 16) { id in
            var next = 0
            for byte in prefix {
                id[next] = byte
                next += 1
            }
            for shift in stride(from: (timeDigits - 1) * 4, through: 0, by: -4) {
                id[next] = hexDigits[Int((millis >> UInt64(shift)) & 0xF)]
                next += 1
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { random in
                SecureRandom.fill(random)
                for byte in random {
                    id[next] = hexDigits[Int(byte >> 4)]
                    id[next + 1] = hexDigits[Int(byte & 0xF)]
                    next += 2
                }
            }
            return next
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
