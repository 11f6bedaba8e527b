import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import Identity
import Storage
import XCTest

/// The per-item form of an inbox-item pass (what the inbound applier queues as one writer operation per item): an
/// item takes effect once even when two passes list it, and a poison item fails alone with its changes undone.
final class InboxItemPassTests: XCTestCase {
    private struct Refused: Error {}

    func testEachListedItemTakesEffectOnceAndAPoisonItemFailsAlone() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        let c = store.connection
        try c.execute("CREATE TABLE effects (item INTEGER NOT NULL)")
        try c.run("""
            INSERT INTO inbox (id, public_id, source, dedupe_key, received_at, body, response_status, response_body)
            VALUES (1, 'in_1', 'whatsapp', 'k', 0, x'', 200, x'')
            """)
        for (n, text) in ["apply", "ignore", "refuse"].enumerated() {
            let event = InboundEvent.message(InboundMessage(id: "m\(n)", channelID: "p", accountID: "w",
                                                            senderPhone: "60123", timestamp: 0, type: .text,
                                                            text: text))
            try insertItem("message", "m\(n)", JSONWriter.string(event.toJSON()), in: c)
        }
        try insertItem("contact", "c", "{}", in: c)

        let ids = try InboxItemPass.pendingIDs(kinds: ["message"], limit: 10, in: c)
        XCTAssertEqual(ids.count, 3, "only the kinds asked for")
        XCTAssertEqual(ids, ids.sorted(), "oldest first")
        var calls = 0
        let apply: InboxItemPass.Apply = { id, event, _ in
            calls += 1
            try c.run("INSERT INTO effects (item) VALUES (?)", [.integer(id)])
            guard case .message(let message) = event, message.text != "refuse" else { throw Refused() }
            return message.text == "apply" ? .applied : .ignored
        }
        let first = try ids.map { id in try c.transaction { try InboxItemPass.applyItem(id, in: c, apply) } }
        XCTAssertEqual(first, [.applied, .ignored, .failed])
        XCTAssertEqual(try store.count("SELECT count(*) FROM effects"), 2, "the poison item's change is undone")
        XCTAssertEqual(try store.count(
            "SELECT count(*) FROM inbox_items WHERE status = 'failed' AND error LIKE '%Refused%'"), 1)

        // A second pass that listed the same items before the first committed finds them done.
        let second = try ids.map { id in try c.transaction { try InboxItemPass.applyItem(id, in: c, apply) } }
        XCTAssertEqual(second, [nil, nil, nil])
        XCTAssertEqual(calls, 3, "nothing is applied twice")
        XCTAssertEqual(try store.count("SELECT count(*) FROM inbox_items WHERE status = 'pending'"), 1,
                       "the contact item is another consumer's")
    }

    private func insertItem(_ kind: String, _ key: String, _ payload: String, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO inbox_items (inbox_id, kind, dedupe_key, occurred_at, payload, status, created_at)
            VALUES (1, ?, ?, 0, ?, 'pending', 0)
            """, [.text(kind), .text(key), .text(payload)])
    }
}
