@testable import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPTesting
import Storage
import Synchronization
import XCTest

/// The inbox log on PostgreSQL, where appends of several instances (and of the pool's connections) commit side by side
/// without taking turns: the normalizer still reads every delivery exactly once, in an order consistent with the
/// commits, because it reads in (writing transaction, id) order and only below the oldest transaction still running;
/// a delivery appended twice at the same moment is logged once and both senders get the first answer.
final class PostgresInboxLogTests: XCTestCase {
    private var store: PostgresGatewayStore!

    override func setUpWithError() throws {
        store = try PostgresGatewayStore.onFreshDatabase("inbox_log_", poolSize: 12)
    }

    override func tearDown() {
        store?.close()
        store = nil
    }

    func testAppendsSideBySideAreReadOnceEachInAnOrderConsistentWithTheirCommits() throws {
        let appenders = 6, perAppender = 120
        let ticks = Ticks()
        let appended = LockedArray<(publicID: String, started: Int, committed: Int)>()
        let failures = LockedArray<String>()
        let appending = DispatchGroup()
        for appender in 0..<appenders {
            appending.enter()
            Thread.detachNewThread { [store = store!] in
                defer { appending.leave() }
                for index in 0..<perAppender {
                    let delivery = Self.delivery("\(appender)-\(index)")
                    let started = ticks.next()
                    switch Self.appendAndWait(delivery, to: store) {
                    case .success(.stored): appended.append((delivery.publicID, started, ticks.next()))
                    case let other: failures.append("\(delivery.publicID): \(other)")
                    }
                }
            }
        }

        // The normalizer's part, meanwhile: read a pass after the cursor, record it (advancing the cursor), again.
        var read: [String] = []
        var passesWhileAppending = 0
        while true {
            let stillAppending = appending.wait(timeout: .now()) == .timedOut
            let pass = try store.pendingDeliveries(limit: 25, loggedAfter: nil)
            if pass.deliveries.isEmpty && !stillAppending { break }
            guard !pass.deliveries.isEmpty else {
                Thread.sleep(forTimeInterval: 0.002)
                continue
            }
            if stillAppending { passesWhileAppending += 1 }
            _ = try record(pass.deliveries, from: pass.cursor)
            read += pass.deliveries.map(\.publicID)
        }

        XCTAssertEqual(failures.values, [])
        XCTAssertEqual(appended.values.count, appenders * perAppender)
        XCTAssertGreaterThan(passesWhileAppending, 1, "the reads ran while appends were committing")
        XCTAssertEqual(read.count, Set(read).count, "no delivery read twice")
        XCTAssertEqual(Set(read), Set(appended.values.map(\.publicID)), "every delivery read")
        // A delivery whose append had committed before another's began is read before that one.
        let byID = Dictionary(uniqueKeysWithValues: appended.values.map { ($0.publicID, $0) })
        var earliestCommitReadLater = Int.max
        for publicID in read.reversed() {
            let append = try XCTUnwrap(byID[publicID])
            XCTAssertLessThan(append.started, earliestCommitReadLater,
                              "\(publicID) was read before a delivery committed before its append began")
            earliestCommitReadLater = min(earliestCommitReadLater, append.committed)
        }
        XCTAssertEqual(try store.inboxBacklog().deliveries, 0)
        XCTAssertEqual(try store.read { try $0.queryOne("SELECT count(*) AS n FROM inbox")?.int("n") }, read.count)
    }

    func testAReadDoesNotPassADeliveryWhoseAppendHasNotCommitted() throws {
        // An append that has its id but has not committed yet, as a slow one of another instance.
        let slow = HeldAppend.start(store, key: "slow")
        try slow.waitUntilWritten()
        XCTAssertEqual(try appendAndWait(Self.delivery("fast")).get(), .stored)

        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), [],
                       "the later id waits while the earlier append may still commit")
        XCTAssertEqual(try store.inboxBacklog().deliveries, 1, "the committed one counts as waiting")
        XCTAssertEqual(try store.oldestUnappliedReceivedAt(), 1_000)

        slow.finish(commit: true)
        let pass = try store.pendingDeliveries(limit: 10, loggedAfter: nil)
        XCTAssertEqual(pass.deliveries.map(\.publicID), ["in_slow", "in_fast"])
        _ = try record(pass.deliveries, from: pass.cursor)
        XCTAssertEqual(try store.inboxBacklog().deliveries, 0)
        XCTAssertNil(try store.oldestUnappliedReceivedAt())
    }

    func testAnAppendThatRollsBackHoldsTheReadBackOnlyWhileItRuns() throws {
        let slow = HeldAppend.start(store, key: "slow")
        try slow.waitUntilWritten()
        XCTAssertEqual(try appendAndWait(Self.delivery("fast")).get(), .stored)
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), [])
        slow.finish(commit: false)
        XCTAssertEqual(try store.pendingDeliveries(limit: 10).map(\.publicID), ["in_fast"])
    }

    func testADuplicateAppendedWhileTheFirstCommitsGetsTheFirstAnswer() throws {
        let first = HeldAppend.start(store, key: "same")
        try first.waitUntilWritten()
        let retry = NewDelivery(publicID: "in_retry", source: .whatsapp, dedupeKey: "whatsapp:same",
                                receivedAtMillis: 2_000, requestID: nil, traceparent: nil, body: [],
                                responseStatus: 200, responseBody: Array("retry".utf8))
        let answered = LockedArray<Result<AppendOutcome, GatewayError>>()
        let done = expectation(description: "the retry answered")
        store.appendDelivery(retry) { answered.append($0); done.fulfill() }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(answered.values.count, 0, "the retry waits for the first append's outcome")
        first.finish(commit: true)
        wait(for: [done], timeout: 10)
        XCTAssertEqual(try answered.values.first?.get(),
                       .duplicate(publicID: "in_same", responseStatus: 200, responseBody: Array("in_same".utf8)))
        XCTAssertEqual(try logged("whatsapp:same"), 1)

        // The first rolled back: the waiting one is the first now.
        let rolledBack = HeldAppend.start(store, key: "undone")
        try rolledBack.waitUntilWritten()
        let again = expectation(description: "appended")
        let outcome = LockedArray<Result<AppendOutcome, GatewayError>>()
        store.appendDelivery(Self.delivery("undone")) { outcome.append($0); again.fulfill() }
        Thread.sleep(forTimeInterval: 0.1)
        rolledBack.finish(commit: false)
        wait(for: [again], timeout: 10)
        XCTAssertEqual(try outcome.values.first?.get(), .stored)
        XCTAssertEqual(try logged("whatsapp:undone"), 1)
    }

    func testManyDuplicatesAtOnceAreLoggedOnceAndAllAnsweredAlike() throws {
        let keys = 30, copies = 4
        let answers = LockedArray<(key: Int, outcome: Result<AppendOutcome, GatewayError>)>()
        let all = DispatchGroup()
        for copy in 0..<copies {
            for key in 0..<keys {
                all.enter()
                let delivery = NewDelivery(publicID: "in_\(key)_\(copy)", source: .chatbot, dedupeKey: "chatbot:\(key)",
                                           receivedAtMillis: 1_000, requestID: nil, traceparent: nil, body: [],
                                           responseStatus: 202, responseBody: Array("copy \(copy)".utf8))
                store.appendDelivery(delivery) { answers.append((key, $0)); all.leave() }
            }
        }
        XCTAssertEqual(all.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(try store.inboxLog.database.read { try $0.queryOne("SELECT count(*) AS n FROM deliveries") }?
            .int("n"), keys)
        for key in 0..<keys {
            let outcomes = answers.values.filter { $0.key == key }.compactMap { try? $0.outcome.get() }
            XCTAssertEqual(outcomes.count, copies, "key \(key): every copy answered")
            let stored = outcomes.filter { $0 == .stored }
            XCTAssertEqual(stored.count, 1, "key \(key): one copy logged")
            let row = try XCTUnwrap(store.inboxLog.database.read { c in
                try c.queryOne("SELECT public_id, response_body FROM deliveries WHERE dedupe_key = ?",
                               [.text("chatbot:\(key)")])
            })
            let first = AppendOutcome.duplicate(publicID: row.string("public_id") ?? "?", responseStatus: 202,
                                                responseBody: row.blob("response_body") ?? [])
            XCTAssertEqual(outcomes.filter { $0 != .stored }, Array(repeating: first, count: copies - 1))
        }
    }

    func testACursorRecordedBeforeTheLogKnewTransactionsStillStands() throws {
        let url = try PostgresCluster.shared().createDatabase("inbox_upgrade_" + UUID().uuidString.prefix(8).lowercased())
        let database = try PostgresDatabase(url, poolSize: 2)
        defer { database.close() }
        _ = try PostgresMigrator.migrate(database, migrations: DeliverySchema.migrations)
        _ = try PostgresMigrator.migrate(database, migrations: Array(InboxLog.migrations.prefix(1)),
                                         ledger: PostgresGatewayStore.inboxLogLedger)
        try database.write { connection in
            for key in ["a", "b", "c"] { try HeldAppend.insert(key, in: connection) }
            try GatewayMeta.set("inbox_log_cursor", to: "2", in: connection)  // a and b are recorded
        }
        var settings = StoreSettings()
        settings.driver = "postgres"
        settings.databaseURL = url
        settings.poolSize = 2
        let upgraded = try PostgresGatewayStore(config: settings, migrations: DeliverySchema.migrations)
        defer { upgraded.close() }
        XCTAssertEqual(try PostgresMigrator.appliedVersions(database, ledger: PostgresGatewayStore.inboxLogLedger), [1, 2, 3])
        XCTAssertEqual(try Self.appendAndWait(Self.delivery("d"), to: upgraded).get(), .stored)
        XCTAssertEqual(try upgraded.pendingDeliveries(limit: 10).map(\.publicID), ["in_c", "in_d"])
        XCTAssertEqual(try upgraded.inboxBacklog().deliveries, 2)
        XCTAssertEqual(try Self.appendAndWait(Self.delivery("a"), to: upgraded).get(),
                       .duplicate(publicID: "in_a", responseStatus: 200, responseBody: Array("in_a".utf8)))
    }

    // MARK: - Helpers

    private static func delivery(_ key: String) -> NewDelivery {
        NewDelivery(publicID: "in_" + key, source: .whatsapp, dedupeKey: "whatsapp:" + key, receivedAtMillis: 1_000,
                    requestID: nil, traceparent: nil, body: Array(key.utf8), responseStatus: 200,
                    responseBody: Array(("in_" + key).utf8))
    }

    private static func appendAndWait(_ delivery: NewDelivery, to store: any GatewayStore)
        -> Result<AppendOutcome, GatewayError> {
        let answered = LockedArray<Result<AppendOutcome, GatewayError>>()
        let done = DispatchSemaphore(value: 0)
        store.appendDelivery(delivery) { answered.append($0); done.signal() }
        done.wait()
        return answered.values[0]
    }

    private func appendAndWait(_ delivery: NewDelivery) -> Result<AppendOutcome, GatewayError> {
        Self.appendAndWait(delivery, to: store)
    }

    /// Records a pass read from `cursor`, as the running normalizer does (each delivery with no items).
    private func record(_ deliveries: [StoredDelivery], from cursor: LogPosition) throws -> [NormalizationOutcome] {
        let recorded = LockedArray<Result<[NormalizationOutcome], any Error>>()
        let done = DispatchSemaphore(value: 0)
        store.recordNormalizations(deliveries.map { DeliveryNormalization(delivery: $0, result: .success(.init())) },
                                   from: cursor) { recorded.append($0); done.signal() }
        done.wait()
        return try recorded.values[0].get()
    }

    private func logged(_ key: String) throws -> Int? {
        try store.inboxLog.database.read { c in
            try c.queryOne("SELECT count(*) AS n FROM deliveries WHERE dedupe_key = ?", [.text(key)])?.int("n")
        }
    }
}

/// An append held open after its insert, on a connection of the store's pool: what a slow append of another instance
/// looks like to the reader and to a second append of the same key.
private enum HeldAppend {
    static func start(_ store: PostgresGatewayStore, key: String) -> HeldWrite {
        HeldWrite(database: store.inboxLog.database) { try insert(key, in: $0) }
    }

    /// The row an append of `key` inserts (the columns the log has had from the start).
    static func insert(_ key: String, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, body, response_status,
                                    response_body)
            VALUES (?, ?, ?, 'whatsapp', 1000, ?, 200, ?)
            """, [.integer(InboxLog.hash("whatsapp:" + key)), .text("whatsapp:" + key), .text("in_" + key),
                  .blob(Array(key.utf8)), .blob(Array(("in_" + key).utf8))])
    }
}

/// A sequence of moments shared by threads: which of two events came first.
private final class Ticks: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .sequentiallyConsistent).newValue }
}

extension PostgresGatewayStore {
    /// A store on a fresh database of the shared test cluster, named `prefix` and a random suffix.
    static func onFreshDatabase(_ prefix: String, poolSize: Int) throws -> PostgresGatewayStore {
        var settings = StoreSettings()
        settings.driver = "postgres"
        settings.databaseURL = try PostgresCluster.shared().createDatabase(prefix + UUID().uuidString.prefix(8).lowercased())
        settings.poolSize = poolSize
        return try PostgresGatewayStore(config: settings, migrations: DeliverySchema.migrations)
    }
}
