@testable import Delivery
import Foundation
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// The inbound applier's writes on PostgreSQL: one person's items take effect in the order queued, different people's
/// side by side, and an item without an ordering key after everything queued before it and before everything after.
final class PostgresInboundItemWritesTests: XCTestCase {
    private var database: PostgresDatabase!

    override func setUpWithError() throws {
        let url = try PostgresCluster.shared().createDatabase("item_writes_" + UUID().uuidString.prefix(8).lowercased())
        database = try PostgresDatabase(url, poolSize: 8)
        try database.write { c in
            try c.run("CREATE TABLE applied (seq BIGSERIAL PRIMARY KEY, key TEXT, n INTEGER, backend INTEGER, seen BIGINT)")
        }
    }

    override func tearDown() {
        database?.close()
        database = nil
    }

    func testOnePersonsItemsKeepTheirOrderOthersRunSideBySideAndKeylessOnesSeparateBeforeFromAfter() throws {
        let writes = InboundItemWrites(database: database)
        let people = 24, perPerson = 20
        var queue: [(key: String?, n: Int)] = []
        for n in 0..<perPerson {
            for person in 0..<people { queue.append(("p\(person)", n)) }
            if n == 6 || n == 13 { queue.append((nil, n)); queue.append((nil, n + 100)) }
        }
        let failures = LockedArray<String>()
        let all = DispatchGroup()
        for (index, item) in queue.enumerated() {
            all.enter()
            writes.write(orderedBy: item.key, { c in
                // Held a little at random, so that lanes commit in changing order.
                try c.run("SELECT pg_sleep(?)", [.real(Double.random(in: 0...0.002))])
                let seen = try c.queryOne("SELECT count(*) AS n FROM applied")?.int64("n") ?? -1
                try c.run("INSERT INTO applied (key, n, backend, seen) VALUES (?, ?, pg_backend_pid(), ?)",
                          [.text(item.key ?? "keyless"), .integer(Int64(item.n)), .integer(seen)])
                return index
            }, completion: { result in
                if (try? result.get()) != index { failures.append("\(index): \(result)") }
                all.leave()
            })
        }
        XCTAssertEqual(all.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(failures.values, [])

        let rows = try database.read { c in
            try c.query("SELECT seq, key, n, backend, seen FROM applied ORDER BY seq")
        }
        XCTAssertEqual(rows.count, queue.count)
        for person in 0..<people {
            let ns = rows.filter { $0.string("key") == "p\(person)" }.compactMap { $0.int("n") }
            XCTAssertEqual(ns, Array(0..<perPerson), "p\(person)'s items in the order queued")
        }
        // A keyless item sees every item queued before it, and every one queued after it comes later.
        for (index, item) in queue.enumerated() where item.key == nil {
            let row = try XCTUnwrap(rows.first { $0.string("key") == "keyless" && $0.int("n") == item.n })
            XCTAssertEqual(row.int64("seen"), Int64(index), "keyless \(item.n) after everything queued before it")
            let position = try XCTUnwrap(rows.firstIndex { $0.int64("seq") == row.int64("seq") })
            XCTAssertEqual(position, index, "keyless \(item.n) before everything queued after it")
        }
        let backends = Set(rows.filter { $0.string("key") != "keyless" }.compactMap { $0.int("backend") })
        XCTAssertGreaterThan(backends.count, 1, "different people's items ran on several connections side by side")
    }

    func testAnItemThatThrowsIsUndoneAloneAndItsLaneCommits() throws {
        let writes = InboundItemWrites(database: database)
        let outcomes = LockedArray<(Int, Bool)>()
        let all = DispatchGroup()
        for n in 0..<12 {
            all.enter()
            writes.write(orderedBy: "p\(n % 3)", { c in
                try c.run("INSERT INTO applied (key, n) VALUES (?, ?)", [.text("p\(n % 3)"), .integer(Int64(n))])
                if n == 4 { throw NoNormalizerError(source: .whatsapp) }
            }, completion: { outcomes.append((n, (try? $0.get()) != nil)); all.leave() })
        }
        XCTAssertEqual(all.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(outcomes.values.filter { !$0.1 }.map(\.0), [4])
        let ns = try database.read { c in try c.query("SELECT n FROM applied ORDER BY n").compactMap { $0.int("n") } }
        XCTAssertEqual(ns, (0..<12).filter { $0 != 4 })
    }
}
