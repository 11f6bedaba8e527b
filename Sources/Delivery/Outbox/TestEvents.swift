import GatewayKit
import Storage

/// Signed test events through the real outbox (Svix's "send test event", and a way to load a running gateway): `count`
/// events of type `gateway.test` for one endpoint, keyed `<batch>.<sequence>`, queued in one unit of work.
public struct TestEvents: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func enqueue(_ count: Int64, to endpoint: EndpointName, batch: String, traceparent: String?, now: Int64,
                        addendum: Addendum<Void>? = nil, answer: @escaping Answer<Void>) {
        database.write({ connection in
            for sequence in 0..<count {
                let body: JSONValue = ["type": "gateway.test",
                                       "data": ["batch_id": .string(batch), "sequence": .integer(sequence),
                                                "count": .integer(count)]]
                try Outbox.enqueue(OutboundMessage(endpoint: endpoint, body: JSONWriter.bytes(body),
                                                   idempotencyKey: "\(batch).\(sequence)", traceparent: traceparent),
                                   in: connection, now: now)
            }
        }, addendum: addendum, answer: answer)
    }
}
