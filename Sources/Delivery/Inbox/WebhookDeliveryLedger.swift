import Storage

/// Replay ledger of a signed bot/agent webhook: the inbox itself. The delivery is stored with its answer, already
/// processed (it was applied in the request), under `<source>:<webhook-id>`. A `webhook-id` already answered on a
/// sibling route (`alsoAnsweredUnder`: the chatbot and agent routes check each other) gets that answer, so a signed
/// request replayed to the other route is not applied twice.
public struct WebhookDeliveryLedger: ReplayLedger {
    /// The delivery; its response fields are replaced by the reply when recorded.
    private let delivery: NewDelivery
    private let siblingKey: String?
    private let now: Int64

    public init(_ delivery: NewDelivery, alsoAnsweredUnder siblingKey: String? = nil, now: Int64) {
        self.delivery = delivery
        self.siblingKey = siblingKey
        self.now = now
    }

    public func storedReply(in connection: any DatabaseConnection) throws -> CommandReply? {
        try InboxTable.storedResponse(dedupeKey: delivery.dedupeKey, orKey: siblingKey, in: connection)
            .map { CommandReply(status: $0.status, body: $0.body, replayed: true) }
    }

    public func record(_ reply: CommandReply, in connection: any DatabaseConnection) throws {
        let answered = NewDelivery(
            publicID: delivery.publicID, source: delivery.source, dedupeKey: delivery.dedupeKey,
            receivedAtMillis: delivery.receivedAtMillis, requestID: delivery.requestID,
            traceparent: delivery.traceparent, body: delivery.body, responseStatus: reply.status,
            responseBody: reply.body)
        guard try InboxTable.insert(answered, processedAt: now, in: connection) else {
            throw StoreConsistencyError(detail: "webhook \(delivery.dedupeKey) recorded twice in one transaction")
        }
    }
}
