import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import Ingress
import Storage
import Identity
import XCTest

/// The identity step reads and validates an event's claim before the writer runs it (``IdentityClaimReading``); the
/// resolver then resolves that claim, and reads the same itself when given none.
final class IdentityClaimReadingTests: XCTestCase {
    func testAPreparedClaimIsTheOneResolved() throws {
        let gateway = try TestGateway()
        let resolver = try identityStep(gateway).resolver
        let sender = message(phone: "60111222333")
        // Read from another message than the one applied: the customer shows which claim was resolved.
        let reading = IdentityClaimReading(.message(message(phone: "60999888777")), occurredAt: nil)
        let application = try gateway.app.store.database.write { connection in
            try resolver.apply(.message(sender), occurredAt: nil, claim: reading, actor: "test", now: 1, in: connection)
        }
        XCTAssertEqual(application.contactCreated, true)
        XCTAssertEqual(try gateway.rows("SELECT value FROM customer_identifiers WHERE kind = 'phone'").map { $0["value"] },
                       ["60999888777"])
    }

    func testAnUnusableIdentifierFailsTheSameReadAheadOrNot() throws {
        let gateway = try TestGateway()
        let resolver = try identityStep(gateway).resolver
        var unusable = message(phone: "60111222333")
        unusable.senderUserID = "not-a-bsuid"
        let bad = unusable
        for reading in [IdentityClaimReading(.message(bad), occurredAt: nil), nil] {
            XCTAssertThrowsError(try gateway.app.store.database.write { connection in
                try resolver.apply(.message(bad), occurredAt: nil, claim: reading, actor: "test", now: 1,
                                   in: connection)
            }) { error in
                XCTAssertEqual((error as? IdentityInputError)?.field, "user_id")
                XCTAssertEqual((error as? IdentityInputError)?.value, "not-a-bsuid")
            }
        }
    }

    func testTheIdentityStepPreparesTheReading() throws {
        let gateway = try TestGateway()
        let step = try identityStep(gateway)
        XCTAssertTrue(step.prepare(.message(message(phone: "60111222333")), occurredAt: nil) is IdentityClaimReading)
    }

    private func identityStep(_ gateway: TestGateway) throws -> IdentityStep {
        try XCTUnwrap(gateway.app.inboundApplier.steps.lazy.compactMap { $0 as? IdentityStep }.first)
    }

    private func message(phone: String) -> InboundMessage {
        InboundMessage(id: "wamid.\(UUID().uuidString)", channelID: "106540352242922", accountID: nil,
                       senderPhone: phone, timestamp: 1_767_000_000, type: .text, text: "hello")
    }
}
