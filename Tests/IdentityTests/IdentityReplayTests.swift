import Configuration
import Delivery
import Foundation
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import Storage
import XCTest

/// Replays 10,000 generated WhatsApp deliveries (phone-only, BSUID-only, both, number and BSUID changes, exact
/// duplicates, shuffled out of order) into two gateways at once, each fed in parallel in a different order, and checks
/// the identity store against the generator's truth: one customer per person, no orphan BSUID, same final state.
final class IdentityReplayTests: XCTestCase {
    func testTenThousandDeliveriesTwiceInParallelConvergeWithoutDuplicates() throws {
        let traffic = IdentityTrafficGenerator(seed: 5, deliveries: 10_000)
        let gateways = try (0..<2).map { _ in
            try TestGateway { config in
                config.multiBSUIDEnabled = true
                config.store.synchronous = "normal"
                config.server.threadPoolSize = 4
            }
        }
        let orders = [traffic.shuffled(seed: 1), traffic.shuffled(seed: 2)]
        let senders = 4
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: gateways.count * senders) { job in
            let (run, lane) = (job / senders, job % senders)
            for index in stride(from: lane, to: orders[run].count, by: senders) {
                let status = try? gateways[run].postWhatsApp(orders[run][index]).status
                if status != 200 { failures.add() }
            }
        }
        XCTAssertEqual(failures.value, 0, "every delivery acknowledged")
        var states: [[String]] = []
        for gateway in gateways {
            try waitForIdentity(gateway)
            try gateway.app.store.database.read { c in try checkIdentities(c, traffic, into: &states) }
        }
        XCTAssertEqual(states[0].count, traffic.people.count)
        XCTAssertTrue(states[0] == states[1], "same final state for both arrival orders: "
                      + "\(zip(states[0], states[1]).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "")")
    }

    /// What one gateway's store holds against the generator's truth; its identity snapshot is added to `states`.
    private func checkIdentities(_ c: any DatabaseConnection, _ traffic: IdentityTrafficGenerator,
                                 into states: inout [[String]]) throws {
        let failed = try c.query("SELECT error FROM inbox_items WHERE status = 'failed' LIMIT 3")
        XCTAssertEqual(failed.count, 0, "\(failed.compactMap { $0.string("error") })")
        XCTAssertEqual(try scalar(c, """
            SELECT count(*) FROM customer_bsuids b LEFT JOIN customers c ON c.id = b.customer_id
            WHERE c.id IS NULL OR c.merged_into IS NOT NULL
            """), 0, "no orphan BSUID")
        XCTAssertEqual(try scalar(c, """
            SELECT count(*) FROM customers c WHERE merged_into IS NULL
            AND NOT EXISTS (SELECT 1 FROM customer_bsuids WHERE customer_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM customer_identifiers WHERE customer_id = c.id)
            """), 0, "no customer without an identifier")
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM customers WHERE merged_into IS NULL"),
                       traffic.people.count, "one customer per person")
        try checkEveryPersonIsOneCustomer(traffic.people, c)
        states.append(try IdentitySnapshot.lines(c))
    }

    private func checkEveryPersonIsOneCustomer(_ people: [IdentityTrafficGenerator.Person],
                                               _ c: any DatabaseConnection) throws {
        var owners: [Int64: Int] = [:]
        for (index, person) in people.enumerated() {
            var customers = Set<Int64>()
            for bsuid in person.bsuids {
                if let id = try c.queryOne("SELECT customer_id FROM customer_bsuids WHERE bsuid = ?",
                                           [.text(bsuid)])?.int64("customer_id") { customers.insert(id) }
                else { XCTFail("BSUID \(bsuid) missing") }
            }
            for phone in person.phones {
                if let id = try c.queryOne("SELECT customer_id FROM customer_identifiers WHERE value = ?",
                                           [.text(phone)])?.int64("customer_id") { customers.insert(id) }
                else { XCTFail("phone \(phone) missing") }
            }
            XCTAssertEqual(customers.count, 1, "person \(index) spread over \(customers.count) customers")
            if let id = customers.first {
                XCTAssertNil(owners[id], "customer \(id) holds persons \(owners[id] ?? -1) and \(index)")
                owners[id] = index
            }
        }
    }

    private func waitForIdentity(_ gateway: TestGateway) throws {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let depth = try gateway.app.store.inboxDepth()
            let pending = try gateway.rows("""
                SELECT count(*) AS n FROM inbox_items
                WHERE status = 'pending' AND kind IN ('contact', 'message', 'identity_change')
                """).first?["n"]
            if depth == 0, pending == "0" { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("identity items not applied in time")
    }

    private func scalar(_ c: any DatabaseConnection, _ sql: String) throws -> Int {
        guard case .integer(let n)? = try c.queryOne(sql)?[0] else { return -1 }
        return Int(n)
    }
}

/// A thread-safe counter for parallel senders.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add() { lock.lock(); count += 1; lock.unlock() }
}
