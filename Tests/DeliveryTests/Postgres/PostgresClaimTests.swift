@testable import Delivery
import Foundation
import HTTPTesting
import Storage
import XCTest

/// Outbox claims on PostgreSQL, where several instances claim from one table at the same moment: every row goes to
/// exactly one claimer, and an ordering key's later row waits while its earlier one is claimed by anyone.
final class PostgresClaimTests: XCTestCase {
    private var database: PostgresDatabase!

    override func setUpWithError() throws {
        let cluster = try PostgresCluster.shared()
        database = try PostgresDatabase(try cluster.createDatabase("claims_" + UUID().uuidString.prefix(8).lowercased()),
                                        poolSize: 6)
        _ = try PostgresMigrator.migrate(database, migrations: DeliverySchema.migrations)
    }

    override func tearDown() {
        database?.close()
    }

    func testConcurrentClaimersNeverTakeTheSameRowAndKeepEachKeysOrder() throws {
        let now: Int64 = 1_750_000_000_000
        try database.write { c in
            for index in 0..<240 {
                // Every fourth row shares one of six ordering keys; the rest have none.
                let key = index % 4 == 0 ? "conversation-\(index % 6)" : nil
                try Outbox.enqueue(OutboundMessage(endpoint: "sink", body: Array("{}".utf8), idempotencyKey: "evt-\(index)",
                                                   orderingKey: key), in: c, now: now)
            }
        }
        let claimed = Claimed()
        let database = self.database!
        DispatchQueue.concurrentPerform(iterations: 5) { claimer in
            while true {
                let rows = (try? database.write { c in
                    try OutboxLedger.claim(endpoint: "sink", limit: 7, now: now, leaseExpiresAt: now + 60_000,
                                           owner: "instance-\(claimer)", in: c).map(\.idempotencyKey)
                }) ?? []
                guard !rows.isEmpty else { break }
                claimed.add(rows)
            }
        }
        let keys = claimed.all
        XCTAssertEqual(keys.count, Set(keys).count, "no row claimed twice")
        // The 180 rows without a key, and the first row of each of the six keys; the later rows of a key wait.
        let keyed = (0..<240).filter { $0 % 4 == 0 }
        let firstOfEachKey = Set((0..<6).compactMap { k in keyed.first { $0 % 6 == k } }.map { "evt-\($0)" })
        let expected = Set((0..<240).filter { $0 % 4 != 0 }.map { "evt-\($0)" }).union(firstOfEachKey)
        XCTAssertEqual(Set(keys), expected)
    }
}

private final class Claimed: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String] = []
    func add(_ more: [String]) { lock.withLock { keys += more } }
    var all: [String] { lock.withLock { keys } }
}
