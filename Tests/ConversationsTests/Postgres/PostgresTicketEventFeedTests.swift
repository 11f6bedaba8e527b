import Conversations
import CRM
import Delivery
import Foundation
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// The desk's change feed on PostgreSQL, where ticket changes commit side by side (the pool's connections, several
/// instances) and a transaction that took an earlier event number may commit after one that took a later one: a
/// reader that follows the feed from position to position still sees every event exactly once.
final class PostgresTicketEventFeedTests: XCTestCase {
    private var databaseName: String?
    private var database: PostgresDatabase!

    override func setUpWithError() throws {
        let created = try PostgresTestDatabases.create()
        databaseName = created.name
        database = try PostgresDatabase(created.url, poolSize: 10)
    }

    override func tearDown() {
        database?.close()
        database = nil
        if let databaseName { PostgresTestDatabases.drop(databaseName) }
    }

    func testChangesCommittingSideBySideAreEachReadOnceByAReaderFollowingTheFeed() throws {
        let writers = 6, changesEach = 60
        let tickets = try (0..<writers).map { try openTicket("w\($0)") }
        let feed = TicketEventFeed(database: database)
        let before = try seqs()
        var position = try feed.latest()

        let failures = LockedArray<String>()
        let writing = DispatchGroup()
        for (writer, ticket) in tickets.enumerated() {
            writing.enter()
            Thread.detachNewThread { [database = database!] in
                defer { writing.leave() }
                for change in 0..<changesEach {
                    do {
                        // Held open a random moment after the event row is written, so commits overtake each other.
                        try database.write { connection in
                            if change % 10 == 9 {
                                try Self.insertTicket("w\(writer)-\(change)", in: connection)
                            } else {
                                try Self.change(ticket, in: connection)
                            }
                            Thread.sleep(forTimeInterval: Double.random(in: 0...0.008))
                        }
                    } catch {
                        failures.append("writer \(writer), change \(change): \(error)")
                    }
                }
            }
        }

        // The hub's part, meanwhile: read a page after the position, move the position to its last event (as a
        // client holds it: the event's id), again — after the writers are done, until every event was read or a
        // transaction elsewhere on the server had a few seconds to end.
        var read: [Int64] = []
        var readsWhileWriting = 0
        var deadline = Date.distantFuture
        while true {
            let stillWriting = writing.wait(timeout: .now()) == .timedOut
            if !stillWriting, deadline == .distantFuture { deadline = Date().addingTimeInterval(5) }
            let page = try feed.events(after: position, limit: 25)
            guard let last = page.last else {
                if read.count >= writers * changesEach || Date() > deadline { break }
                Thread.sleep(forTimeInterval: 0.002)
                continue
            }
            if stillWriting { readsWhileWriting += 1 }
            read += page.map(\.seq)
            position = try XCTUnwrap(LogPosition(eventID: last.position.eventID))
        }

        XCTAssertEqual(failures.values, [])
        XCTAssertGreaterThan(readsWhileWriting, 1, "the reads ran while changes were committing")
        XCTAssertEqual(read.count, Set(read).count, "no event read twice")
        let written = try seqs().subtracting(before)
        XCTAssertEqual(written.count, writers * changesEach)
        XCTAssertEqual(written.subtracting(read).sorted(), [], "no event skipped")
        XCTAssertEqual(Set(read).subtracting(written).sorted(), [], "only events written after the start")
    }

    func testAReadDoesNotPassAnEventWhoseChangeHasNotCommitted() throws {
        let (slowTicket, fastTicket) = (try openTicket("slow"), try openTicket("fast"))
        let feed = TicketEventFeed(database: database)
        let start = try feed.latest()
        let slow = HeldWrite(database: database) { try Self.change(slowTicket, in: $0) }
        try slow.waitUntilWritten()
        try change(fastTicket)

        XCTAssertEqual(try feed.events(after: start, limit: 10), [],
                       "the later event waits while the earlier may still commit")
        XCTAssertEqual(try feed.latest(), start, "nor does the newest position pass it")
        slow.finish(commit: true)
        let both = try feed.events(after: start, limit: 10)
        XCTAssertEqual(both.map(\.ticketID), [slowTicket, fastTicket], "in reading order: the slow one began first")
        XCTAssertEqual(both.map(\.kind), ["changed", "changed"])
        XCTAssertEqual(try feed.latest(), both.last?.position)
        XCTAssertTrue(both.allSatisfy { $0.transaction > 0 && $0.position.eventID == "\($0.transaction).\($0.seq)" })

        // One that rolls back holds the read back only while it runs.
        let undone = HeldWrite(database: database) { try Self.change(slowTicket, in: $0) }
        try undone.waitUntilWritten()
        try change(fastTicket)
        XCTAssertEqual(try feed.events(after: try feed.latest(), limit: 10), [])
        let before = try feed.latest()
        undone.finish(commit: false)
        XCTAssertEqual(try feed.events(after: before, limit: 10).map(\.ticketID), [fastTicket])
    }

    func testAClientResumesFromAPairOrFromAnEventNumberOfBeforeTheFeedRecordedTransactions() throws {
        let ticket = try openTicket("t")
        for _ in 0..<3 { try change(ticket) }
        // The first two written before the upgrade: transaction 0, so their ids are their numbers alone.
        try database.write { c in
            try c.run("UPDATE ticket_events SET txid = '0' WHERE seq <= (SELECT min(seq) + 1 FROM ticket_events)")
        }
        let feed = TicketEventFeed(database: database)
        let events = try feed.events(after: .start, limit: 10)
        XCTAssertEqual(events.map { $0.transaction == 0 }, [true, true, false, false])
        XCTAssertEqual(events.map(\.position.eventID),
                       [String(events[0].seq), String(events[1].seq),
                        "\(events[2].transaction).\(events[2].seq)", "\(events[3].transaction).\(events[3].seq)"])

        // A client's id of before the upgrade still stands where it stood.
        let old = try XCTUnwrap(LogPosition(eventID: String(events[0].seq)))
        XCTAssertTrue(try feed.canResume(from: old))
        XCTAssertEqual(try feed.events(after: old, limit: 10), Array(events.dropFirst()))
        let paired = try XCTUnwrap(LogPosition(eventID: events[2].position.eventID))
        XCTAssertTrue(try feed.canResume(from: paired))
        XCTAssertEqual(try feed.events(after: paired, limit: 10), [events[3]])
        XCTAssertTrue(try feed.canResume(from: events[3].position))
        XCTAssertFalse(try feed.canResume(from: LogPosition(transaction: events[3].transaction + 1, id: 1)),
                       "ahead of the feed")

        // Retention removed the oldest: a client that saw it resumes, one that did not reloads.
        try database.write { c in try c.run("DELETE FROM ticket_events WHERE seq = ?", [.integer(events[0].seq)]) }
        XCTAssertTrue(try feed.canResume(from: events[0].position))
        XCTAssertFalse(try feed.canResume(from: .start))
        // Up to one of another transaction than the oldest held: whether events between the two were purged is not
        // known, so a client there reloads rather than risk missing them.
        try database.write { c in try c.run("DELETE FROM ticket_events WHERE seq <= ?", [.integer(events[2].seq)]) }
        XCTAssertFalse(try feed.canResume(from: events[2].position))
        XCTAssertTrue(try feed.canResume(from: events[3].position))
    }

    // MARK: - Helpers

    private func change(_ ticket: Int64) throws {
        try database.write { try Self.change(ticket, in: $0) }
    }

    private static func change(_ ticket: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("UPDATE tickets SET version = version + 1 WHERE id = ?", [.integer(ticket)])
    }

    private func openTicket(_ key: String) throws -> Int64 {
        try database.write { connection in
            try Self.insertTicket(key, in: connection)
            return try connection.queryOne("SELECT id FROM tickets WHERE unique_id = ?", [.text(key)])?.int64("id") ?? 0
        }
    }

    private static func insertTicket(_ key: String, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO tickets (unique_id, name, source, origin, created_at, updated_at, channel)
            VALUES (?, 'feed test', 'test', 'test', 1000, 1000, 'whatsapp')
            """, [.text(key)])
        try TicketOpenedEvents().ticketOpened(OpenedTicket(id: connection.lastInsertRowID, channel: "whatsapp",
                                                           at: 1000), in: connection)
    }

    /// The event numbers the feed holds.
    private func seqs() throws -> Set<Int64> {
        try database.read { c in Set(try c.query("SELECT seq FROM ticket_events").compactMap { $0.int64("seq") }) }
    }
}
