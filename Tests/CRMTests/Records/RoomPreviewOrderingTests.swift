import CRM
import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import Storage
import XCTest

/// Latest-wins when creation times do not follow commit order (a clock stepping back): applied straight through
/// the command applier on a store, with a clock the test controls.
final class RoomPreviewOrderingTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteGatewayStore!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("rooms")
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    private struct TimesEncoder: RoomRefreshEncoder {
        func request(for refresh: RoomRefresh, links: RecordLinks) -> (method: String, path: String, body: [UInt8]) {
            let record = refresh.record
            return ("POST", "/", Array(#"{"id":\#(record.id),"created_at":\#(record.createdAt)}"#.utf8))
        }
    }

    private func applier(times: [Int64]) -> RecordCommandApplier {
        let clock = ClockSequence(times)
        let links = RecordLinks(RecordSettings())
        return RecordCommandApplier(links: links, refreshes: RoomRefreshPublisher(encoder: TimesEncoder(), links: links),
                                    conversationTickets: ConversationTicketEdits(), ticketObservers: [],
                                    clock: { clock.next() })
    }

    private func create(_ applier: RecordCommandApplier, room: String = "room") throws -> StoredRecord {
        let command = RecordCommand(kind: .deal, action: .create,
                                    input: RecordInput(fields: ["name": "d"], roomID: room, creatorFlag: "bot"),
                                    origin: .chatbot)
        return try XCTUnwrap(try store.writer.perform { try applier.apply(command, in: $0).record })
    }

    func testAnOlderCreationTimeCommittedLaterDoesNotTakeTheRoom() throws {
        let applier = applier(times: [1_000, 900, 1_000, 1_001])
        let first = try create(applier)
        let older = try create(applier)
        let tie = try create(applier)
        let newest = try create(applier)
        let shown = try store.read { try RoomPreviewTable.shown(in: "room", in: $0) }
        XCTAssertEqual(shown[.deal], newest.id)
        // Events were written only when a record took the room: first, tie (same ms, later id), newest.
        let events = try store.read { connection in
            try connection.query("SELECT body FROM outbox ORDER BY id").compactMap { row in
                (try? JSONParser.parse(row.blob("body") ?? []))?["id"]?.int64Value
            }
        }
        XCTAssertEqual(events, [first.id, tie.id, newest.id])
        XCTAssertFalse(events.contains(older.id))
    }

    func testRandomCreationTimesLeaveTheMaximumAndMonotonicEvents() throws {
        var generator = SystemRandomNumberGenerator()
        let times = (0..<200).map { _ in Int64.random(in: 1_000...1_020, using: &generator) }
        let applier = applier(times: times)
        let records = try (0..<200).map { _ in try create(applier) }
        let winner = records.max { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }!
        XCTAssertEqual(try store.read { try RoomPreviewTable.shown(in: "room", in: $0) }[.deal], winner.id)
        let events = try store.read { connection in
            try connection.query("SELECT body FROM outbox ORDER BY id").compactMap { row -> (Int64, Int64)? in
                let json = try? JSONParser.parse(row.blob("body") ?? [])
                guard let id = json?["id"]?.int64Value, let at = json?["created_at"]?.int64Value else { return nil }
                return (at, id)
            }
        }
        for (earlier, later) in zip(events, events.dropFirst()) { XCTAssertTrue(earlier < later) }
        XCTAssertEqual(events.last?.1, winner.id)
    }
}

/// Hands out the given values in order (then repeats the last).
private final class ClockSequence: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return values.count > 1 ? values.removeFirst() : values[0]
    }
}
