import CRM
import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// Timeline entries with the Chat Panel preview, its failure modes (failing, hanging,
/// unconfigured Chat Panel), immutability, the listing API and the one-year retention.
final class TimelineTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func tearDown() { fixture = nil }

    /// Moves the gateway clock past retry delays until every preview is settled.
    private func settleWithRetries(file: StaticString = #filePath, line: UInt = #line) {
        eventually("timeline previews settled", file: file, line: line) {
            gateway.advanceClock(milliseconds: 200)
            return try gateway.count("timeline_entries", "preview_status = 'pending'") == 0
        }
    }

    private func onlyEntry(_ id: Int64) throws -> JSONValue {
        let entries = try fixture.timeline("deal", id)
        XCTAssertEqual(entries.count, 1)
        return try XCTUnwrap(entries.first)
    }

    func testRoomWithoutMessagesGivesAnEmptyPreview() throws {
        fixture = try RecordsFixture(chatPanel: { _, _ in .status(200, body: #"{"messages":[]}"#) })
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-empty","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        let entry = try onlyEntry(id)
        XCTAssertEqual(entry["preview_status"], "fetched")
        XCTAssertEqual(entry["chat_history_preview"], "")
    }

    func testLongHistoryIsTruncated() throws {
        let text = String(repeating: "a", count: 1_000)
        fixture = try RecordsFixture(chatPanel: { _, _ in .status(200, body: #"{"messages":[{"text":"\#(text)"}]}"#) })
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-long","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        let preview = try XCTUnwrap(try onlyEntry(id)["chat_history_preview"]?.stringValue)
        XCTAssertEqual(preview.count, 280)
        XCTAssertTrue(preview.hasSuffix("…"))
    }

    func testFailingChatPanelIsRetriedThenTheEntryKeepsDeeplinkAndCreatorOnly() throws {
        fixture = try RecordsFixture(chatPanel: { _, _ in .status(500, body: "down") })
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-f","creator_flag":"agentic_ai"}"#)
        settleWithRetries()
        let entry = try onlyEntry(id)
        XCTAssertEqual(entry["preview_status"], "unavailable")
        XCTAssertEqual(entry["chat_history_preview"], .null)
        XCTAssertEqual(entry["room_deeplink"], "https://chat.test/rooms/room-f")
        XCTAssertEqual(entry["creator_label"], "AI")
        XCTAssertEqual(fixture.chatPanel.received.count, 3, "bounded: chat_panel.max_attempts")
        XCTAssertEqual(try gateway.rows("SELECT fetch_attempts, preview_error FROM timeline_entries").first,
                       ["fetch_attempts": "3", "preview_error": "Chat Panel answered 500"])
        assertCountedOnce(kind: "deal", reason: "http_5xx")
        // The deal itself was created and announced regardless.
        XCTAssertEqual(fixture.events(1).first?.json?["event"], "deal.created")
    }

    func testHangingChatPanelTimesOutOffTheRequestPath() throws {
        fixture = try RecordsFixture(chatPanel: { _, _ in .delayed(5) }) { $0.records.chatPanelMaxAttempts = 2 }
        let started = Date()
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-h","creator_flag":"bot"}"#)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "the create does not wait for the Chat Panel")
        XCTAssertEqual(try onlyEntry(id)["preview_status"], "pending")
        settleWithRetries()
        XCTAssertEqual(try onlyEntry(id)["preview_status"], "unavailable")
        XCTAssertEqual(fixture.chatPanel.received.count, 2)
        assertCountedOnce(kind: "deal", reason: "timeout")
    }

    func testUnknownRoomAndBrokenAnswersAreNotRetried() throws {
        fixture = try RecordsFixture(chatPanel: { _, request in
            request.path.contains("room-404") ? .status(404) : .status(200, body: #"{"history":"#)
        })
        let missing = try gateway.createDeal(#"{"name":"D","room_id":"room-404","creator_flag":"bot"}"#)
        let broken = try gateway.createDeal(#"{"name":"D","room_id":"room-broken","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        XCTAssertEqual(try onlyEntry(missing)["preview_status"], "unavailable")
        XCTAssertEqual(try onlyEntry(broken)["preview_status"], "unavailable")
        XCTAssertEqual(fixture.chatPanel.received.count, 2)
        assertCountedOnce(kind: "deal", reason: "invalid_response")
    }

    func testWithoutAChatPanelURLEntriesAreWrittenWithoutPreview() throws {
        fixture = try RecordsFixture(configure: { $0.outbound[url: .chatPanel] = nil })
        let id = try gateway.createTicket(#"{"name":"T","room_id":"room-n","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        let entries = try fixture.timeline("ticket", id)
        XCTAssertEqual(entries.first?["preview_status"], "unavailable")
        XCTAssertEqual(entries.first?["ticket_id"]?.int64Value, id)
        assertCountedOnce(kind: "ticket", reason: "not_configured")
    }

    func testEntriesCannotBeEditedOrDeleted() throws {
        fixture = try RecordsFixture()
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-i","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        for method in ["PATCH", "PUT", "DELETE", "POST"] {
            XCTAssertEqual(try gateway.admin(method, "/v1/timeline?deal_id=\(id)", body: "{}").status, 405, method)
        }
        // Not even the store lets a settled entry change.
        let store = gateway.app.store
        XCTAssertThrowsError(try store.database.write { try $0.run("UPDATE timeline_entries SET preview = 'forged'") })
        XCTAssertEqual(try fixture.timeline("deal", id).first?["chat_history_preview"]?.stringValue,
                       RecordsFixture.historyPreview)
        // Updating the deal adds nothing to, and changes nothing in, its timeline.
        XCTAssertEqual(try gateway.command("deal.updated", #"{"id":\#(id),"name":"Renamed"}"#).status, 200)
        XCTAssertEqual(try fixture.timeline("deal", id).count, 1)
    }

    func testTimelineQueryIsValidated() throws {
        fixture = try RecordsFixture()
        let id = try gateway.createDeal(#"{"name":"D","room_id":"room-v","creator_flag":"bot"}"#)
        let cases: [(String, Int, [String])] = [
            ("", 400, ["deal_id", "ticket_id"]), ("?deal_id=\(id)&ticket_id=1", 400, ["deal_id", "ticket_id"]),
            ("?deal_id=abc", 400, ["deal_id"]), ("?ticket_id=-1", 400, ["ticket_id"]), ("?deal_id=999", 404, []),
            ("?ticket_id=\(id)", 404, []),
        ]
        for (query, status, fields) in cases {
            let response = try gateway.admin("GET", "/v1/timeline\(query)")
            XCTAssertEqual(response.status, status, query)
            XCTAssertEqual(ClientResponseSummary(response).fields.sorted(), fields, query)
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/timeline?deal_id=\(id)", token: nil).status, 401)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id)}"#).status, 204)
        XCTAssertEqual(try gateway.admin("GET", "/v1/timeline?deal_id=\(id)").status, 404)
        XCTAssertEqual(try gateway.count("timeline_entries"), 1, "entries outlive their record until the purge")
    }

    func testPurgeRemovesEntriesOlderThanOneYearAndKeepsRecords() throws {
        fixture = try RecordsFixture()
        let old = try gateway.createDeal(#"{"name":"Old","room_id":"room-old","creator_flag":"bot"}"#)
        gateway.advanceClock(milliseconds: 200 * 86_400_000)
        let recent = try gateway.createDeal(#"{"name":"Recent","room_id":"room-new","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()
        let store = gateway.app.store
        let createdOld = gateway.clock.now - 200 * 86_400_000
        let rules = CRMRetention.rules(RetentionSettings())
        let year: Int64 = 365 * 86_400_000
        let justInside = try RetentionSweep.run(rules, on: store.database, now: createdOld + year)
        XCTAssertEqual(justInside["timeline_entries"], 0, "exactly one year old is kept")
        let report = try RetentionSweep.run(rules, on: store.database, now: createdOld + year + 1)
        XCTAssertEqual(report["timeline_entries"], 1)
        XCTAssertEqual(try fixture.timeline("deal", old), [])
        XCTAssertEqual(try fixture.timeline("deal", recent).count, 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/\(old)").status, 200, "the record stays")
    }

    func testPurgeCommandRunsAgainstTheDatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-purge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gateway.sqlite").path
        var config = GatewayConfig().store
        config.path = path
        let store = try SQLiteGatewayStore(config: config, migrations: GatewaySchema.migrations)
        try store.database.write { connection in
            try connection.run("""
                INSERT INTO timeline_entries (kind, record_id, room_id, room_deeplink, next_fetch_at, created_at)
                VALUES ('deal', 1, 'r', 'https://x/r', 0, 1000), ('deal', 2, 'r', 'https://x/r', 0, ?)
                """, [.integer(Int64(Date().timeIntervalSince1970 * 1000))])
        }
        store.close()
        let (status, output, _) = try GatewayProcess.run(["purge"], environment: ["GATEWAY_DB": path])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(output.hasPrefix("purged "), output)
        XCTAssertTrue(output.contains(" 1 timeline_entries,"), output)
        XCTAssertTrue(output.contains(" 0 ticket_message_bodies,"), output)
        XCTAssertEqual(try DatabaseInspector.rows(path: path, sql: "SELECT record_id FROM timeline_entries"),
                       [["record_id": "2"]])
    }

    /// The entry settled without a preview is counted once, by `reason`: the worker counts it just after the
    /// settled entry commits, so the count is waited for.
    private func assertCountedOnce(kind: String, reason: String, file: StaticString = #filePath, line: UInt = #line) {
        let count = { self.gateway.app.metrics.counter("gateway_timeline_log_creation_failed_total",
                                                       [("kind", kind), ("reason", reason)]) }
        eventually("\(kind) preview failure counted", file: file, line: line) { count() >= 1 }
        XCTAssertEqual(count(), 1, file: file, line: line)
    }
}
