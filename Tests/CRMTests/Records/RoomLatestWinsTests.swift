import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// One deal and one ticket preview per room, latest wins by CRM creation time, with the
/// tie-break for records created in the same millisecond (the later commit — the higher id — wins).
final class RoomLatestWinsTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    func testSecondCreationReplacesThePreviewAndTicketsHaveTheirOwnSlot() throws {
        let first = try gateway.createDeal(#"{"name":"First","room_id":"room-1","creator_flag":"bot"}"#)
        gateway.advanceClock(milliseconds: 1)
        let second = try gateway.createDeal(#"{"name":"Second","room_id":"room-1","creator_flag":"agentic_ai"}"#,
                                            path: "/webhooks/agent")
        let ticket = try gateway.createTicket(#"{"name":"Ticket","room_id":"room-1","creator_flag":"bot"}"#)
        let room = try XCTUnwrap(fixture.room("room-1"))
        XCTAssertEqual(room["deal"]?["id"]?.int64Value, second)
        XCTAssertEqual(room["ticket"]?["id"]?.int64Value, ticket)
        XCTAssertNotEqual(first, second)
        // Both creations were announced, in order: Omnichannel ends on the latest.
        XCTAssertEqual(fixture.events(3).filter { $0.path.hasSuffix("/deals") }.map { $0.json?["external_id"]?.stringValue },
                       [String(first), String(second)])
        // Each record keeps its own timeline entry (no dedupe across records of a room).
        XCTAssertEqual(try gateway.count("timeline_entries", "room_id = 'room-1'"), 3)
    }

    func testSameMillisecondCreationsAreOrderedByCommitOrder() throws {
        // The gateway clock stands still in tests: every record below has the same created_at.
        let ids = try (0..<3).map { try gateway.createDeal(#"{"name":"Same ms \#($0)","room_id":"room-ms","creator_flag":"bot"}"#) }
        XCTAssertEqual(Set(try gateway.rows("SELECT created_at FROM deals").compactMap { $0["created_at"] }).count, 1)
        XCTAssertEqual(try fixture.room("room-ms")?["deal"]?["id"]?.int64Value, ids.max())
    }

    func testRoomOfADeletedDealStartsOverEmpty() throws {
        let deleted = try gateway.createDeal(#"{"name":"Gone","room_id":"room-d","creator_flag":"bot"}"#)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(deleted)}"#).status, 204)
        XCTAssertEqual(try fixture.room("room-d")?["deal"], .null)
        let fresh = try gateway.createDeal(#"{"name":"Fresh","room_id":"room-d","creator_flag":"bot"}"#)
        XCTAssertEqual(try fixture.room("room-d")?["deal"]?["id"]?.int64Value, fresh)
        XCTAssertEqual(try gateway.command("deal.updated", #"{"id":\#(deleted),"name":"Zombie"}"#).status, 404)
    }

    func testUnknownRoomIsTheEmptyState() throws {
        XCTAssertEqual(try fixture.room("never-seen"), ["room_id": "never-seen", "deal": .null, "ticket": .null])
        XCTAssertEqual(try gateway.admin("GET", "/v1/rooms/never-seen", token: nil).status, 401)
    }

    func testHundredParallelCreatesForOneRoomLeaveOnePreviewAndConsistentEvents() throws {
        let group = DispatchGroup()
        let statuses = StatusList()
        for index in 0..<100 {
            let body = Array(#"{"type":"deal.created","data":{"name":"Parallel \#(index)","room_id":"room-p","creator_flag":"bot"}}"#.utf8)
            let id = "parallel-\(index)"
            let timestamp = String(gateway.clock.seconds)
            let signature = StandardWebhookVerifier.sign(id: id, timestamp: timestamp, body: body,
                                                          secret: TestGateway.botSecret)
            group.enter()
            gateway.client.execute(ClientRequest(method: "POST", url: gateway.baseURL + "/webhooks/chatbot", headers: [
                ("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", timestamp),
                ("webhook-signature", signature),
            ], body: body)) { result in
                statuses.append((try? result.get())?.status ?? -1)
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(statuses.all, Array(repeating: 201, count: 100))

        // Exactly one preview: the latest by (created_at, id).
        XCTAssertEqual(try gateway.count("room_previews", "room_id = 'room-p' AND kind = 'deal'"), 1)
        let winner = try XCTUnwrap(gateway.rows("""
            SELECT id FROM deals WHERE room_id = 'room-p' ORDER BY created_at DESC, id DESC LIMIT 1
            """).first?["id"].flatMap(Int64.init))
        XCTAssertEqual(try fixture.room("room-p")?["deal"]?["id"]?.int64Value, winner)

        // Omnichannel receives the room's events one at a time in commit order, each newer than the one before,
        // and the last one is the winner.
        let sentIDs = try gateway.omnichannelOutbox().compactMap { row -> Int64? in
            (try? JSONParser.parse(Array((row["body"] ?? "").utf8)))?["deal_id"]?.int64Value
        }
        let received = fixture.events(sentIDs.count)
        let receivedIDs = received.compactMap { $0.json?["deal_id"]?.int64Value }
        XCTAssertEqual(receivedIDs, sentIDs)
        XCTAssertEqual(receivedIDs, receivedIDs.sorted())
        XCTAssertEqual(Set(receivedIDs).count, receivedIDs.count)
        XCTAssertEqual(receivedIDs.last, winner)
        XCTAssertEqual(fixture.omnichannel.maxConcurrent, 1, "one room's events are never in flight together")
    }
}

/// Response statuses collected from libcurl's thread.
private final class StatusList: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func append(_ value: Int) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }
    var all: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
