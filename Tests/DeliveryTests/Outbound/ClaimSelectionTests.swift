@testable import Delivery
import Foundation
import GatewayTesting
import Storage
import XCTest

/// Which rows a claim takes and what it stores for them: oldest due first up to the limit, the earliest row of each
/// ordering key only, nothing past the retry horizon, and every taken row in flight under the claim's lease (on
/// SQLite the rows are read first and then marked by id, so the stored state is checked here too).
final class ClaimSelectionTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteGatewayStore!
    private let start: Int64 = 1_750_000_000_000

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("claim-selection")
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    private func enqueue(_ key: String, orderingKey: String? = nil, notBefore: Int64? = nil, at now: Int64) throws {
        _ = try store.writer.perform { connection in
            try Outbox.enqueue(OutboundMessage(endpoint: "sink", body: Array("{\"k\":\"\(key)\"}".utf8),
                                               idempotencyKey: key, orderingKey: orderingKey,
                                               notBeforeMillis: notBefore), in: connection, now: now)
        }
    }

    private func claim(limit: Int = 10, firstDueAfter: Int64 = .min, now: Int64,
                       owner: String = "dispatcher-1") throws -> [OutboxRecord] {
        try store.writer.perform { connection in
            try OutboxLedger.claim(endpoint: "sink", limit: limit, firstDueAfter: firstDueAfter, now: now,
                                   leaseExpiresAt: now + 60_000, owner: owner, in: connection)
        }
    }

    /// Each row's key, status, next attempt time and lease owner, in id order.
    private func stored() throws -> [String] {
        try store.writer.perform { connection in
            try connection.query("""
                SELECT idempotency_key, status, next_attempt_at, lease_owner FROM outbox ORDER BY id
                """).map { row in
                "\(row.string("idempotency_key") ?? "") \(row.string("status") ?? "") "
                    + "\(row.int64("next_attempt_at") ?? -1) \(row.string("lease_owner") ?? "-")"
            }
        }
    }

    func testOldestDueRowsUpToTheLimitAreTakenInFlightUnderTheLeaseAndReturnedInIdOrder() throws {
        try enqueue("later", notBefore: start + 500, at: start)
        try enqueue("first", at: start + 100)
        try enqueue("second", at: start + 200)
        let claimed = try claim(limit: 2, now: start + 1_000)
        XCTAssertEqual(claimed.map(\.idempotencyKey), ["first", "second"], "the row due last was taken")
        XCTAssertEqual(claimed.map(\.leaseExpiresAt), [start + 61_000, start + 61_000])
        XCTAssertEqual(claimed.map(\.attempts), [0, 0])
        XCTAssertEqual(claimed.map { String(decoding: $0.body, as: UTF8.self) },
                       ["{\"k\":\"first\"}", "{\"k\":\"second\"}"])
        XCTAssertEqual(try stored(), [
            "later pending \(start + 500) -",
            "first in_flight \(start + 61_000) dispatcher-1",
            "second in_flight \(start + 61_000) dispatcher-1",
        ])
        XCTAssertEqual(try claim(now: start + 1_000).map(\.idempotencyKey), ["later"])
        XCTAssertEqual(try claim(now: start + 1_000).map(\.idempotencyKey), [],
                       "rows the owner holds were taken again")
    }

    func testALaterRowOfAnOrderingKeyWaitsWhileAnEarlierOneIsPendingOrInFlight() throws {
        try enqueue("a1", orderingKey: "alice", notBefore: start + 5_000, at: start)
        try enqueue("a2", orderingKey: "alice", at: start + 1)
        try enqueue("b1", orderingKey: "bob", at: start + 2)
        try enqueue("none", at: start + 3)
        XCTAssertEqual(try claim(now: start + 10).map(\.idempotencyKey), ["b1", "none"],
                       "a2 went ahead of a1, which is still pending")
        let a1 = try XCTUnwrap(claim(now: start + 5_000).first)
        XCTAssertEqual(a1.idempotencyKey, "a1")
        XCTAssertEqual(try claim(now: start + 5_001, owner: "dispatcher-2").map(\.idempotencyKey), [],
                       "a2 went ahead of a1 in flight")
        let deliveredAt = start + 5_002
        try store.writer.perform { connection in
            try OutboxLedger.markDelivered(ids: [a1.id], status: 200, at: deliveredAt, owner: "dispatcher-1",
                                           in: connection)
        }
        XCTAssertEqual(try claim(now: start + 5_003).map(\.idempotencyKey), ["a2"])
    }

    func testRowsFirstDueAtOrBeforeTheHorizonAreLeftForTheSweep() throws {
        try enqueue("old", at: start)
        try enqueue("young", at: start + 1)
        XCTAssertEqual(try claim(firstDueAfter: start, now: start + 10).map(\.idempotencyKey), ["young"])
        XCTAssertEqual(try stored().first, "old pending \(start) -")
    }
}
