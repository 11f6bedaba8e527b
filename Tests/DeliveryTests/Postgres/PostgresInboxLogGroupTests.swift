@testable import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// Appends on PostgreSQL share transactions when they arrive together: each is answered after its group commits, a
/// delivery the server refuses fails alone, and a trickle still goes out one at a time.
final class PostgresInboxLogGroupTests: XCTestCase {
    private var store: PostgresGatewayStore!

    override func setUpWithError() throws {
        store = try PostgresGatewayStore.onFreshDatabase("inbox_groups_", poolSize: 8)
    }

    override func tearDown() {
        store?.close()
        store = nil
    }

    func testAppendsArrivingTogetherShareTransactionsAndAreEachStoredOnce() throws {
        let answers = appendAtOnce((0..<400).map { Self.delivery("k\($0)") })
        XCTAssertEqual(answers.values.count, 400)
        XCTAssertTrue(answers.values.allSatisfy { (try? $0.outcome.get()) == .stored }, "\(answers.values.prefix(3))")
        let row = try XCTUnwrap(store.inboxLog.database.read { c in
            try c.queryOne("SELECT count(*) AS n, count(DISTINCT txid) AS transactions FROM deliveries")
        })
        XCTAssertEqual(row.int("n"), 400)
        XCTAssertLessThan(row.int("transactions") ?? 400, 200, "appends arriving together share a commit")
        XCTAssertEqual(store.inboxLog.appendCount, 400)
        XCTAssertEqual(try store.pendingDeliveries(limit: 1_000).deliveries.count, 400)
    }

    func testADeliveryTheServerRefusesFailsAloneAndItsGroupIsStored() throws {
        try store.inboxLog.database.write { c in
            try c.run("""
                CREATE FUNCTION refuse_poison() RETURNS trigger AS $$
                BEGIN
                    IF NEW.dedupe_key = 'whatsapp:poison' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """)
            try c.run("""
                CREATE TRIGGER refuse_poison BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_poison()
                """)
        }
        let keys = (0..<99).map { "k\($0)" } + ["poison"] + (99..<199).map { "k\($0)" }
        let answers = appendAtOnce(keys.map(Self.delivery))
        XCTAssertEqual(answers.values.count, keys.count)
        for (key, outcome) in answers.values {
            if key == "whatsapp:poison" {
                guard case .failure = outcome else { return XCTFail("the refused delivery was answered \(outcome)") }
            } else {
                XCTAssertEqual(try outcome.get(), .stored, key)
            }
        }
        XCTAssertEqual(try store.inboxLog.database.read { try $0.queryOne("SELECT count(*) AS n FROM deliveries") }?
            .int("n"), keys.count - 1)
        XCTAssertEqual(store.inboxLog.appendCount, keys.count - 1)
    }

    func testAKeyAlreadyLoggedIsAnsweredWithTheFirstAnswerInsideAGroup() throws {
        _ = appendAtOnce([Self.delivery("old")])
        let answers = appendAtOnce((0..<63).map { Self.delivery("n\($0)") } + [Self.delivery("old", copy: 2)])
        let old = try XCTUnwrap(answers.values.first { $0.key == "whatsapp:old" })
        XCTAssertEqual(try old.outcome.get(),
                       .duplicate(publicID: "in_old_1", responseStatus: 200, responseBody: Array("answer 1".utf8)))
        XCTAssertEqual(answers.values.filter { (try? $0.outcome.get()) == .stored }.count, 63)
    }

    func testGroupSizesArePowersOfTwoUpToTheLimit() {
        XCTAssertEqual(AppendGroups.groupSize(0), 0)
        XCTAssertEqual(AppendGroups.groupSize(1), 1)
        XCTAssertEqual(AppendGroups.groupSize(3), 2)
        XCTAssertEqual(AppendGroups.groupSize(64), 64)
        XCTAssertEqual(AppendGroups.groupSize(127), 64)
        XCTAssertEqual(AppendGroups.groupSize(10_000), AppendGroups.maxGroupSize)
    }

    // MARK: - Helpers

    private static func delivery(_ key: String) -> NewDelivery { delivery(key, copy: 1) }

    private static func delivery(_ key: String, copy: Int) -> NewDelivery {
        NewDelivery(publicID: "in_\(key)_\(copy)", source: .whatsapp, dedupeKey: "whatsapp:" + key,
                    receivedAtMillis: 1_000, requestID: nil, traceparent: nil, body: Array(key.utf8),
                    responseStatus: 200, responseBody: Array("answer \(copy)".utf8))
    }

    /// Appends every delivery without waiting between them; their answers by dedupe key once all are in.
    private func appendAtOnce(_ deliveries: [NewDelivery])
        -> LockedArray<(key: String, outcome: Result<AppendOutcome, GatewayError>)> {
        let answers = LockedArray<(key: String, outcome: Result<AppendOutcome, GatewayError>)>()
        let all = DispatchGroup()
        for delivery in deliveries {
            all.enter()
            store.appendDelivery(delivery) { answers.append((delivery.dedupeKey, $0)); all.leave() }
        }
        XCTAssertEqual(all.wait(timeout: .now() + 60), .success)
        return answers
    }
}
