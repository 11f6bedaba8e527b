@testable import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import Storage
import XCTest

/// The inbox log: what an acknowledgement appends (once per dedupe key, the full key compared when the short hash
/// matches), what the normalizer reads after its cursor, how recording a pass advances the cursor in the same
/// transaction (a pass read twice is recorded once), and which deliveries the retention prunes.
final class InboxLogTests: XCTestCase {
    private var store: SQLiteGatewayStore!
    private var directory: URL!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("inbox-log")
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    private func delivery(_ key: String, receivedAt: Int64 = 1_000) -> NewDelivery {
        NewDelivery(publicID: "in_" + key, source: .whatsapp, dedupeKey: "whatsapp:" + key, receivedAtMillis: receivedAt,
                    requestID: nil, traceparent: nil, body: Array("{\"k\":\"\(key)\"}".utf8), responseStatus: 200,
                    responseBody: Array("{\"inbox_id\":\"in_\(key)\"}".utf8))
    }

    private func append(_ delivery: NewDelivery) throws -> AppendOutcome {
        let results = LockedArray<Result<AppendOutcome, GatewayError>>()
        let answered = expectation(description: "appended")
        store.appendDelivery(delivery) { results.append($0); answered.fulfill() }
        wait(for: [answered], timeout: 10)
        return try XCTUnwrap(results.values.first).get()
    }

    private func append(_ delivery: NewDelivery, to log: InboxLog) throws -> AppendOutcome {
        let results = LockedArray<Result<AppendOutcome, any Error>>()
        let answered = expectation(description: "appended")
        log.append(delivery) { results.append($0); answered.fulfill() }
        wait(for: [answered], timeout: 10)
        return try XCTUnwrap(results.values.first).get()
    }

    /// The first answer to `key`'s delivery (``delivery(_:receivedAt:)``), as a retry gets it.
    private func firstAnswer(_ key: String) -> AppendOutcome {
        .duplicate(publicID: "in_" + key, responseStatus: 200, responseBody: Array("{\"inbox_id\":\"in_\(key)\"}".utf8))
    }

    /// Logs a row of the key `whatsapp:other` under the hash of `key` (received at 1): a hash collision.
    private static func logOther(underHashOf key: String, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, body, response_status,
                                    response_body)
            VALUES (?, 'whatsapp:other', 'in_other', 'whatsapp', 1, x'', 200, x'')
            """, [.integer(InboxLog.hash(key))])
    }

    private func logCount() throws -> Int {
        try store.inboxLog.database.read { try $0.queryOne("SELECT count(*) AS n FROM deliveries")?.int("n") ?? -1 }
    }

    private func normalized(_ deliveries: [StoredDelivery]) -> [DeliveryNormalization] {
        deliveries.map { delivery in
            let key = String(decoding: delivery.body, as: UTF8.self)
            return DeliveryNormalization(delivery: delivery, result: .success(NormalizationResult(items: [
                NormalizedItem(kind: "message", dedupeKey: "item:" + key, occurredAt: nil, payload: ["k": .string(key)]),
            ])))
        }
    }

    func testARetryOfTheSameDeliveryGetsTheFirstAnswerAndIsLoggedOnce() throws {
        XCTAssertEqual(try append(delivery("a")), .stored)
        let again = NewDelivery(publicID: "in_other", source: .whatsapp, dedupeKey: "whatsapp:a", receivedAtMillis: 2_000,
                                requestID: nil, traceparent: nil, body: [], responseStatus: 200, responseBody: [])
        XCTAssertEqual(try append(again), .duplicate(publicID: "in_a", responseStatus: 200,
                                                     responseBody: Array("{\"inbox_id\":\"in_a\"}".utf8)))
        XCTAssertEqual(try logCount(), 1)
    }

    func testAShortHashCollisionIsToldApartByTheFullKey() throws {
        // Another key's row under the hash of "whatsapp:b": a hit on the hash alone must not make b a duplicate.
        try store.inboxLog.database.write { try Self.logOther(underHashOf: "whatsapp:b", in: $0) }
        XCTAssertEqual(try append(delivery("b")), .stored)
        XCTAssertEqual(try logCount(), 2)
        // Logged beside the row that holds the hash, b is still found when it comes again.
        XCTAssertEqual(try append(delivery("b")), firstAnswer("b"))
        XCTAssertEqual(try logCount(), 2)
    }

    func testPruningTheRowThatHoldsAHashLeavesTheHashToTheKeyLoggedBesideIt() throws {
        try store.inboxLog.database.write { try Self.logOther(underHashOf: "whatsapp:b", in: $0) }
        XCTAssertEqual(try append(delivery("b", receivedAt: 9_000)), .stored)
        _ = try store.recordNormalizations(normalized(try store.pendingDeliveries(limit: 10)))
        XCTAssertEqual(try store.pruneInboxLog(receivedBefore: 5_000), 1)
        XCTAssertEqual(try append(delivery("b", receivedAt: 10_000)), firstAnswer("b"))
        XCTAssertEqual(try logCount(), 1)
    }

    func testALogFromBeforeOneRowHeldEachHashStillTellsItsKeysApart() throws {
        let path = directory.appendingPathComponent("earlier.inbox.sqlite").path
        let earlier = try SQLiteConnection(path: path)
        _ = try Migrator.migrate(earlier, migrations: Array(InboxLog.migrations.prefix(2)))
        try Self.logOther(underHashOf: "whatsapp:b", in: earlier)
        try earlier.run("""
            INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, body, response_status,
                                    response_body)
            VALUES (?, 'whatsapp:b', 'in_b', 'whatsapp', 2, x'', 200, ?)
            """, [.integer(InboxLog.hash("whatsapp:b")), .blob(Array("{\"inbox_id\":\"in_b\"}".utf8))])
        earlier.close()

        let database = try SQLiteDatabase(path: path, synchronous: .normal, migrations: InboxLog.migrations)
        defer { database.close() }
        let log = InboxLog(database: database)
        // The earlier row holds the hash, b's row shares it: a retry of b is found, and nothing else moved.
        let shares = try database.read { try $0.query("SELECT public_id, shares_hash FROM deliveries ORDER BY id") }
        XCTAssertEqual(shares.map { "\($0.string("public_id") ?? "?")=\($0.int("shares_hash") ?? -1)" },
                       ["in_other=0", "in_b=1"])
        XCTAssertEqual(try append(delivery("b"), to: log), firstAnswer("b"))
        XCTAssertEqual(try append(delivery("c"), to: log), .stored)
        XCTAssertEqual(try database.read { try $0.queryOne("SELECT count(*) AS n FROM deliveries")?.int("n") }, 3)
    }

    func testRecordingAdvancesTheCursorWithTheItemsSoAPassReadTwiceIsRecordedOnce() throws {
        for key in ["a", "b", "c"] { XCTAssertEqual(try append(delivery(key)), .stored) }
        let pass = try store.pendingDeliveries(limit: 2)
        XCTAssertEqual(pass.map(\.publicID), ["in_a", "in_b"])
        XCTAssertEqual(try store.pendingDeliveries(limit: 2), pass, "nothing moves until the pass is recorded")

        XCTAssertEqual(try store.recordNormalizations(normalized(pass)).map(\.stored), [1, 1])
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_c"])
        XCTAssertEqual(try store.inboxBacklog().deliveries, 1)
        // The same pass again (a crash after the commit, before the process learned of it): nothing twice, and the
        // cursor does not move back.
        XCTAssertEqual(try store.recordNormalizations(normalized(Array(pass.prefix(1)))).map(\.duplicates), [1])
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_c"])
        XCTAssertEqual(try store.recordNormalizations(normalized(pass)).map(\.duplicates), [1, 1])
        let rows = try store.read { try $0.query("SELECT public_id, status FROM inbox ORDER BY id") }
        XCTAssertEqual(rows.map { $0.string("public_id") }, ["in_a", "in_b"])
        XCTAssertEqual(rows.map { $0.string("status") }, ["processed", "processed"])
        XCTAssertEqual(try store.read { try $0.queryOne("SELECT count(*) AS n FROM inbox_items")?.int("n") }, 2)
    }

    func testAPassReadPastAnotherRecordsOnlyAfterThatOneCommitted() throws {
        for key in ["a", "b", "c"] { XCTAssertEqual(try append(delivery(key)), .stored) }
        let first = try store.pendingDeliveries(limit: 2, loggedAfter: nil)
        let second = try store.pendingDeliveries(limit: 2, loggedAfter: first.deliveries.last?.logPosition)
        XCTAssertEqual(second.deliveries.map(\.publicID), ["in_c"], "read past the pass still being recorded")
        XCTAssertEqual(second.cursor, first.deliveries.last?.logPosition)

        // The first pass did not commit: the second must not, or a and b would be skipped.
        let refused = expectation(description: "refused")
        store.recordNormalizations(normalized(second.deliveries), from: second.cursor) { result in
            if case .failure(let error) = result, error is CursorMovedError { refused.fulfill() }
        }
        wait(for: [refused], timeout: 10)
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_a", "in_b", "in_c"])

        let recorded = expectation(description: "recorded in order")
        store.recordNormalizations(normalized(first.deliveries), from: first.cursor) { _ in }
        store.recordNormalizations(normalized(second.deliveries), from: second.cursor) { result in
            if (try? result.get())?.map(\.stored) == [1] { recorded.fulfill() }
        }
        wait(for: [recorded], timeout: 10)
        XCTAssertEqual(try store.pendingDeliveries(limit: 10), [])
    }

    func testAnUnusableDeliveryIsRecordedFailedAndDoesNotBlockTheOthers() throws {
        for key in ["a", "b"] { XCTAssertEqual(try append(delivery(key)), .stored) }
        let pass = try store.pendingDeliveries(limit: 10)
        let results = [DeliveryNormalization(delivery: pass[0], result: .failure(NoNormalizerError(source: .whatsapp)))]
            + normalized([pass[1]])
        XCTAssertEqual(try store.recordNormalizations(results).map(\.failed), [1, 0])
        let rows = try store.read { try $0.query("SELECT status, last_error, body FROM inbox ORDER BY id") }
        XCTAssertEqual(rows.map { $0.string("status") }, ["failed", "processed"])
        XCTAssertEqual(rows.first?.string("last_error"), "no normalizer for source whatsapp")
        // The failed one keeps its raw body to be examined; the normalized one's stays in the log only.
        XCTAssertEqual(rows.map { $0.blob("body")?.count ?? -1 }, [pass[0].body.count, 0])
        XCTAssertEqual(try store.inboxDepth(), 0)
    }

    func testDeliveriesStoredBeforeTheLogAreNormalizedFirst() throws {
        XCTAssertEqual(try append(delivery("new")), .stored)
        let old = delivery("old")
        try store.database.write { connection in
            _ = try InboxTable.insert(old, in: connection)
        }
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_old", "in_new"])
        XCTAssertEqual(try store.inboxDepth(), 2)
        _ = try store.recordNormalizations(normalized(try store.pendingDeliveries(limit: 10)))
        let statuses = try store.read { try $0.query("SELECT public_id, status FROM inbox ORDER BY public_id") }
        XCTAssertEqual(statuses.map { "\($0.string("public_id") ?? "?")=\($0.string("status") ?? "?")" },
                       ["in_new=processed", "in_old=processed"])
    }

    func testPruningKeepsWhatIsNotRecordedOrStillWithinTheRetention() throws {
        XCTAssertEqual(try append(delivery("old", receivedAt: 1_000)), .stored)
        XCTAssertEqual(try append(delivery("recent", receivedAt: 9_000)), .stored)
        XCTAssertEqual(try append(delivery("unrecorded", receivedAt: 1_000)), .stored)
        _ = try store.recordNormalizations(normalized(try store.pendingDeliveries(limit: 2)))
        XCTAssertEqual(try store.pruneInboxLog(receivedBefore: 5_000), 1)
        let left = try store.inboxLog.database.read { try $0.query("SELECT public_id FROM deliveries ORDER BY id") }
        XCTAssertEqual(left.map { $0.string("public_id") }, ["in_recent", "in_unrecorded"])
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_unrecorded"])

        // Everything recorded and pruned: the next delivery still comes after the cursor.
        _ = try store.recordNormalizations(normalized(try store.pendingDeliveries(limit: 10)))
        XCTAssertEqual(try store.pruneInboxLog(receivedBefore: 10_000), 2)
        XCTAssertEqual(try logCount(), 0)
        XCTAssertEqual(try append(delivery("next", receivedAt: 11_000)), .stored)
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_next"])
    }

    func testTheLogLivesBesideTheDatabaseUnlessConfigured() {
        var settings = StoreSettings()
        settings.path = "/data/gateway.sqlite"
        XCTAssertEqual(settings.resolvedInboxPath, "/data/gateway.inbox.sqlite")
        settings.path = "/data/gateway.db"
        XCTAssertEqual(settings.resolvedInboxPath, "/data/gateway.db.inbox")
        settings.inboxPath = "/fast/inbox.sqlite"
        XCTAssertEqual(settings.resolvedInboxPath, "/fast/inbox.sqlite")
    }
}
