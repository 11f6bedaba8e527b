import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import Ingress
import Storage
import XCTest

/// The ticket step classifies a message that may open a ticket before the writer runs it
/// (``TicketConversationStep/prepare(_:occurredAt:)``), and a ticket the message opens takes that classification.
final class TicketPreparationTests: XCTestCase {
    func testAMessageThatMayOpenATicketIsClassifiedAheadAndOthersAreNot() throws {
        let gateway = try TestGateway.tickets()
        let step = try conversationStep(gateway)
        let text = message("Berapa harga pakej POS?")
        XCTAssertEqual(step.prepare(.message(text), occurredAt: nil) as? TicketClassifier.Classification,
                       step.classifier.classify("Berapa harga pakej POS?"))
        var reaction = text
        reaction.type = .reaction
        XCTAssertNil(step.prepare(.message(reaction), occurredAt: nil), "a reaction never opens a ticket")
        var deletion = text
        deletion.revokedMessageID = "wamid.earlier"
        XCTAssertNil(step.prepare(.message(deletion), occurredAt: nil))
    }

    func testATicketOpensWithThePreparedClassification() throws {
        let gateway = try TestGateway.tickets()
        let step = try conversationStep(gateway)
        let lead = step.classifier.classify("Berapa harga pakej POS?")
        XCTAssertEqual(lead.kind, "lead")
        XCTAssertEqual(step.classifier.classify("hello").kind, "support")
        // Prepared from other words than the message's: the ticket shows which classification it used.
        let hello = message("hello")
        try gateway.app.store.database.write { connection in
            var item = InboundItem(id: 1, kind: "message", event: .message(hello), occurredAt: nil,
                                   now: 1_767_000_000_000)
            item.prepared = lead
            _ = try step.apply(&item, in: connection)
        }
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["kind"], "lead")
        XCTAssertEqual(ticket["queue"], "sales")
        XCTAssertEqual(ticket["language"], "ms")
    }

    private func conversationStep(_ gateway: TestGateway) throws -> TicketConversationStep {
        try XCTUnwrap(gateway.app.inboundApplier.steps.lazy.compactMap { $0 as? TicketConversationStep }.first)
    }

    private func message(_ text: String) -> InboundMessage {
        InboundMessage(id: "wamid.prepared-\(UUID().uuidString)", channelID: "106540352242922", accountID: nil,
                       senderPhone: "60111222333", timestamp: 1_767_000_000, type: .text, text: text)
    }
}
