@testable import Conversations
import Delivery
import Foundation
import GatewayTestSupport
import Messaging
import Storage
import XCTest

/// The download queue survives a crash: an attempt holds its row only until its deadline, and a file is never seen
/// half-written.
final class MediaQueueTests: XCTestCase {
    func testAnAttemptLostWithTheProcessIsTriedAgainAfterItsDeadline() throws {
        let scratch = try TemporaryStore()
        let database = scratch.store.database
        try database.write { c in
            try TicketMediaTable.enqueue(ticketMessageID: 7, ticketID: 1, mediaID: "m-7", kind: .image, now: 1_000, in: c)
            try TicketMediaTable.enqueue(ticketMessageID: 7, ticketID: 1, mediaID: "m-7", kind: .image, now: 1_000, in: c)
        }
        let first = try database.write { c in try TicketMediaTable.claim(now: 1_000, limit: 5, leaseUntil: 5_000, in: c) }
        XCTAssertEqual(first.map(\.ticketMessageID), [7])
        XCTAssertEqual(first.first?.attempts, 1)
        let meanwhile = try database.write { c in try TicketMediaTable.claim(now: 4_999, limit: 5, leaseUntil: 9_000, in: c) }
        XCTAssertEqual(meanwhile, [], "an attempt in progress is not taken twice")
        let again = try database.write { c in try TicketMediaTable.claim(now: 5_000, limit: 5, leaseUntil: 9_000, in: c) }
        XCTAssertEqual(again.map(\.attempts), [2])
    }

    func testTemporaryFilesLeftByACrashAreRemovedAtStartAndPlacedFilesAreWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("media-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = MediaFileStore(directory: directory)
        let leftover = try files.writeTemporary(Array("half a download".utf8))
        try files.prepare()
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover))
        let placed = try files.writeTemporary(Array("whole".utf8))
        try files.place(placed, sha256: "ab12")
        XCTAssertEqual(files.read("ab12"), Array("whole".utf8))
        XCTAssertEqual(files.path(of: "ab12"), directory + "/ab/ab12")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp"), [])
    }
}
