@testable import Delivery
import Foundation
import GatewayTesting
import Storage
import XCTest

/// The claim query and leases: a dispatcher never takes back a row it still holds, whatever the wall clock says,
/// while rows left in flight by a dead dispatcher come back once their stored lease has run out.
final class ClaimOwnershipTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteGatewayStore!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("claim")
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    private func enqueue(_ key: String, at now: Int64) throws {
        _ = try store.writer.perform { connection in
            try Outbox.enqueue(OutboundMessage(endpoint: "sink", body: Array("{}".utf8), idempotencyKey: key),
                               in: connection, now: now)
        }
    }

    private func claim(owner: String, now: Int64, lease: Int64 = 60_000) throws -> [String] {
        try store.writer.perform { connection in
            try OutboxLedger.claim(endpoint: "sink", limit: 10, now: now, leaseExpiresAt: now + lease, owner: owner,
                                   in: connection).map(\.idempotencyKey)
        }
    }

    func testOwnRowsInFlightAreNotClaimedAgainEvenFarPastTheirLease() throws {
        let start: Int64 = 1_750_000_000_000
        try enqueue("evt-a", at: start)
        XCTAssertEqual(try claim(owner: "dispatcher-1", now: start), ["evt-a"])
        let muchLater = start + 30 * 86_400_000
        XCTAssertEqual(try claim(owner: "dispatcher-1", now: muchLater), [], "its own row in flight came back")
        // Another dispatcher (the first one died) takes it once the stored lease has run out, and not before.
        XCTAssertEqual(try claim(owner: "dispatcher-2", now: start + 59_999), [])
        XCTAssertEqual(try claim(owner: "dispatcher-2", now: start + 60_000), ["evt-a"])
    }

    func testReleasedRowsAreClaimableByTheirFormerOwner() throws {
        let start: Int64 = 1_750_000_000_000
        try enqueue("evt-b", at: start)
        XCTAssertEqual(try claim(owner: "dispatcher-1", now: start), ["evt-b"])
        let id = try XCTUnwrap(store.writer.perform { connection in
            try connection.queryOne("SELECT id FROM outbox WHERE idempotency_key = 'evt-b'")?.int64("id")
        })
        let released = try store.writer.perform { connection in
            try OutboxLedger.apply(.release(id: id, at: start + 1), owner: "dispatcher-1", in: connection)
        }
        XCTAssertTrue(released)
        XCTAssertEqual(try claim(owner: "dispatcher-1", now: start + 1), ["evt-b"])
    }
}
