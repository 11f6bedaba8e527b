import Delivery
import GatewayTesting
import XCTest

/// Lookups over a normalization result, reading item payloads back as events the way inbox workers do.
package extension NormalizationResult {
    func item(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> NormalizedItem {
        try XCTUnwrap(items.first { $0.dedupeKey == key }, "no item \(key) in \(items.map(\.dedupeKey))",
                      file: file, line: line)
    }

    /// The `message` item of wamid `id`, decoded.
    func message(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> InboundMessage {
        let found = try item("wa:msg:\(id)", file: file, line: line)
        XCTAssertEqual(found.kind, "message", file: file, line: line)
        guard case .message(let message) = try InboundEvent(json: found.payload) else {
            throw WhatsAppTestError.unexpectedEvent(found.dedupeKey)
        }
        return message
    }

    func contacts() throws -> [InboundContact] {
        try items.filter { $0.kind == "contact" }.map { item in
            guard case .contact(let contact) = try InboundEvent(json: item.payload) else {
                throw WhatsAppTestError.unexpectedEvent(item.dedupeKey)
            }
            return contact
        }
    }

    func statuses() throws -> [InboundStatus] {
        try items.filter { $0.kind == "status" }.map { item in
            guard case .status(let status) = try InboundEvent(json: item.payload) else {
                throw WhatsAppTestError.unexpectedEvent(item.dedupeKey)
            }
            return status
        }
    }
}

package enum WhatsAppTestError: Error {
    case unexpectedEvent(String)
}

package extension WhatsAppFixtures {
    /// A one-change delivery for the first business number around `messages` (the text of a JSON array).
    static func envelope(messages: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},"messages":"#
            + messages + "}}]}]}"
    }
}
