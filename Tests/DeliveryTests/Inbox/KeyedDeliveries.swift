import Delivery
import GatewayKit
import XCTest

/// Finds a message and a delivery status in each delivery, whose body is a key.
struct MessageAndStatusNormalizer: DeliveryNormalizer {
    var source: InboxSource { .whatsapp }

    func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        let key = String(decoding: delivery.body, as: UTF8.self)
        let message = InboundEvent.message(InboundMessage(id: "m-" + key, channelID: "p", accountID: nil,
                                                          senderPhone: "60123", timestamp: 1, type: .text, text: key))
        let status = InboundEvent.status(InboundStatus(messageID: "out-" + key, channelID: "p", accountID: nil,
                                                       state: .delivered, timestamp: 2, recipientPhone: "60123"))
        return NormalizationResult(items: [
            NormalizedItem(kind: "message", dedupeKey: "msg:" + key, occurredAt: 1, payload: message.toJSON()),
            NormalizedItem(kind: "status", dedupeKey: "status:" + key, occurredAt: 2, payload: status.toJSON()),
        ])
    }
}

extension XCTestCase {
    /// Appends a WhatsApp delivery whose body is `key` (public id `in_<key>`) to the inbox log and waits for its commit.
    func appendKeyedDelivery(_ key: String, to store: any GatewayStore) {
        let done = expectation(description: "appended")
        store.appendDelivery(NewDelivery(
            publicID: "in_" + key, source: .whatsapp, dedupeKey: "whatsapp:" + key, receivedAtMillis: 1_000,
            requestID: nil, traceparent: nil, body: Array(key.utf8), responseStatus: 200, responseBody: [])
        ) { _ in done.fulfill() }
        wait(for: [done], timeout: 10)
    }
}
