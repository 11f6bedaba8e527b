import Access
import Crypto
import Delivery
import GatewayKit
import HTTPServer

/// Admin routes for outbound endpoints: `GET /v1/endpoints` (live state, with since when and by which status a
/// disabled endpoint is disabled), `POST /v1/endpoints/{name}/enable` (after a 410 disabled it; answered once the
/// stored disabled state is cleared, so a restart keeps it enabled) and `POST /v1/endpoints/{name}/test-events` with
/// `{"count": N}`, which enqueues N signed test events through the real outbox — Svix's "send test event", and a way
/// to load a running gateway.
struct EndpointRoutes {
    static let maxTestEvents: Int64 = 10_000

    let testEvents: TestEvents
    let dispatcher: OutboxDispatcher
    let endpoints: [OutboundEndpoint]
    /// Unix ms (tests move time).
    let now: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (dispatcher, testEvents, now) = (self.dispatcher, self.testEvents, self.now)
        let byName = Dictionary(uniqueKeysWithValues: endpoints.map { ($0.name, $0) })
        router.add("GET", "/v1/endpoints", .requires(.deliveryManage)) { _, responder in
            let items: [JSONValue] = dispatcher.status.map { status in
                let disablement = status.disablement
                return ["name": .string(status.endpoint.rawValue), "url_configured": .bool(byName[status.endpoint]?.url != nil),
                        "breaker": .string(status.breaker), "disabled": .bool(status.disabled),
                        "disabled_since": JSONValue(disablement.map { Timestamps.rfc3339($0.disabledAt) }),
                        "disabled_status": disablement.map { .integer(Int64($0.status)) } ?? .null,
                        "in_flight": .integer(Int64(status.inFlight))]
            }
            responder.json(["items": .array(items)])
        }
        router.add("POST", "/v1/endpoints/{name}/enable", .requires(.deliveryManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let name = EndpointName(request.parameters["name"] ?? "")
            guard byName[name] != nil else { return responder.problem(.notFound("no endpoint named \(name)")) }
            let audit: Addendum<Void> = caller.audited("endpoint.enabled", "endpoint", at: now(),
                                                       subject: { _ in name.rawValue })
            dispatcher.enable(endpoint: name, completion: { result in
                switch result {
                case .success: responder.json(["status": "enabled", "endpoint": .string(name.rawValue)])
                case .failure(let error): responder.problem(GatewayError.storage(error))
                }
            }, addendum: audit)
        }
        router.add("POST", "/v1/endpoints/{name}/test-events", .requires(.deliveryManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let name = EndpointName(request.parameters["name"] ?? "")
            guard byName[name] != nil else { return responder.problem(.notFound("no endpoint named \(name)")) }
            let count: Int64
            switch Self.eventCount(request.http.body) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): count = parsed
            }
            let batch = "tst_" + Hex.encode(SecureRandom.bytes(8))
            let traceparent = TraceParent.continuing(request.http.headers["traceparent"])
            let at = now()
            let audit: Addendum<Void> = caller.audited("endpoint.test_events", "endpoint", at: at,
                                                       subject: { _ in name.rawValue },
                                                       detail: { _ in ["count": .integer(count), "batch_id": .string(batch)] })
            testEvents.enqueue(count, to: name, batch: batch, traceparent: traceparent, now: at,
                               addendum: audit) { result in
                responder.answer(result) {
                    responder.json(["status": "accepted", "endpoint": .string(name.rawValue), "count": .integer(count),
                                    "batch_id": .string(batch), "idempotency_key_prefix": .string(batch + ".")],
                                   status: 202)
                }
            }
        }
    }

    /// `{"count": N}` with 1 ≤ N ≤ ``maxTestEvents``.
    static func eventCount(_ body: [UInt8]) -> Result<Int64, GatewayError> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            return .failure(.malformedJSON(error))
        }
        guard let object = json.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var fields = FieldValidator(object)
        let count = fields.requiredInteger("count", in: 1...maxTestEvents)
        guard let count, fields.errors.isEmpty else { return .failure(.validation(fields.errors)) }
        return .success(count)
    }
}
