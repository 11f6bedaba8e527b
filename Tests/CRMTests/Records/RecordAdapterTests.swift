@testable import CRM
@testable import ChatPanelAdapter
import Delivery
import Foundation
@testable import GatewayKit
import HTTPClient
@testable import OmnichannelAdapter
import XCTest

/// The pure pieces: payload reading, links, the Chat Panel answer mapping and the Omnichannel wire format.
final class RecordAdapterTests: XCTestCase {
    func testReaderNormalizesReferencesAndKeepsNullAsClearOnUpdate() throws {
        let data: [String: JSONValue] = ["owner": 7, "size": 12, "stage": .null, "name": "n"]
        let (action, input) = try RecordCommandReader.read(kind: .deal, action: .update, data: data, prefix: "",
                                                           id: .path(3)).get()
        XCTAssertEqual(action, .update(.id(3)))
        XCTAssertEqual(input.fields, ["owner": "7", "size": .number(12), "stage": .null, "name": "n"])
        let (_, created) = try RecordCommandReader.read(kind: .deal, action: .create, data: ["name": "n", "stage": .null],
                                                        prefix: "", id: .payload).get()
        XCTAssertEqual(created.fields, ["name": "n"], "null on create is just absent")
    }

    func testTimestampsAcceptRFC3339AndDatesOnly() {
        for good in ["2026-07-01T09:30:00Z", "2026-07-01T09:30:00.123+07:00", "2026-07-01"] {
            XCTAssertTrue(RecordCommandReader.isTimestamp(good), good)
        }
        for bad in ["2026-7-1", "tomorrow", "2026-07-01 09:30", "", "2026-02-30"] {
            XCTAssertFalse(RecordCommandReader.isTimestamp(bad), bad)
        }
    }

    func testLinksEncodeRoomIDsAndIgnoreTrailingSlashes() {
        var settings = RecordSettings()
        settings.crmRecordURLBase = "https://crm.example/"
        settings.roomURLBase = "https://chat.example/rooms/"
        let links = RecordLinks(settings)
        XCTAssertEqual(links.externalURL(.ticket, id: 9), "https://crm.example/tickets/9")
        XCTAssertEqual(links.roomDeeplink("a b/ç#1"), "https://chat.example/rooms/a%20b%2F%C3%A7%231")
    }

    func testNoLinksWithoutConfiguredBases() {
        let links = RecordLinks(RecordSettings())
        XCTAssertNil(links.externalURL(.deal, id: 9))
        XCTAssertNil(links.roomDeeplink("room-1"))
    }

    func testRoomIDsAreEncodedLikeFoundationEncodesAPathSegment() {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        for room in ["room-1", "A_b.c~9", "", "a b", "%", "ç", "🙂/?#[]@!$&'()*+,;=", "\u{0}\u{7F}"] {
            XCTAssertEqual(RecordLinks.percentEncodedSegment(room),
                           room.addingPercentEncoding(withAllowedCharacters: unreserved), room)
        }
    }

    func testTimestampsAreExactMillisecondsOnFoundationsCalendar() {
        XCTAssertEqual(Timestamps.rfc3339(1_750_000_000_123), "2025-06-15T15:06:40.123Z",
                       "exact (a Double of the seconds would print .122)")
        XCTAssertEqual(Timestamps.rfc3339(951_868_799_999), "2000-02-29T23:59:59.999Z")
        XCTAssertEqual(Timestamps.rfc3339(-1), "1969-12-31T23:59:59.999Z")
        // Dates and times of day as Foundation's ISO 8601 style writes them, over leap years and centuries.
        let style = Date.ISO8601FormatStyle()
        let samples: [Int64] = [0, 86_399_999, 86_400_000, 951_782_400_000, 4_107_542_400_000, 253_402_300_799_999,
                                -86_400_001, -2_208_988_800_000]
        for millis in samples + (0..<2_000).map({ Int64($0) * 7_919_876_543 + 12_345 }) {
            let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
            let expected = String(Date(timeIntervalSince1970: Double(seconds)).formatted(style).dropLast())
                + String(format: ".%03dZ", Int(millis - seconds * 1000))
            XCTAssertEqual(Timestamps.rfc3339(millis), expected, "\(millis)")
        }
    }

    func testUniqueIDsAreVersion7UUIDsOrderedByCreationTime() {
        let early = RecordUniqueID.make(millis: 1_750_000_000_000)
        let late = RecordUniqueID.make(millis: 1_750_000_000_001)
        XCTAssertEqual(early.count, 36)
        XCTAssertEqual(Array(early)[14], "7")
        XCTAssertTrue("89ab".contains(Array(early)[19]))
        XCTAssertTrue(early.hasPrefix("01977420-dc00-7"), early)
        XCTAssertLessThan(early, late)
        XCTAssertNotEqual(RecordUniqueID.make(millis: 5), RecordUniqueID.make(millis: 5))
    }

    func testChatPanelAnswersMapToPreviewOrFailureClass() {
        func result(_ status: Int, _ body: String = "") -> ChatHistoryResult {
            ChatPanelHistoryClient.result(.success(ClientResponse(status: status, headers: [], body: Array(body.utf8))),
                                          maxCharacters: 20)
        }
        XCTAssertEqual(result(200, #"{"messages":[{"sender":"A","text":"hi"},{"type":"image"},{"text":""}]}"#),
                       .preview("A: hi\n[image]"))
        XCTAssertEqual(result(200, #"{"messages":[{"text":"0123456789012345678901234"}]}"#),
                       .preview("0123456789012345678…"))
        XCTAssertEqual(result(200, "{}").failure?.reason, "invalid_response")
        XCTAssertEqual(result(503).failure?.retryable, true)
        XCTAssertEqual(result(429).failure?.retryable, true)
        XCTAssertEqual(result(404).failure?.retryable, false)
        XCTAssertEqual(result(401).failure?.reason, "http_4xx")
        let timeout = ChatPanelHistoryClient.result(.failure(.timedOut("slow")), maxCharacters: 20)
        XCTAssertEqual(timeout.failure, ChatHistoryFailure(reason: "timeout", detail: "slow", retryable: true))
        XCTAssertEqual(ChatPanelHistoryClient.result(.failure(.couldNotConnect("refused")), maxCharacters: 20)
                        .failure?.reason, "connection")
    }

    /// Without `crm.record_url_base` (the default) `external_url` is null.
    func testOmnichannelWireFormat() throws {
        let record = StoredRecord(kind: .deal, id: 5, uniqueID: "u-5", fields: ["name": "D", "stage": "S",
                                                                                "pipeline": .null],
                                  roomID: "r", contactID: nil, creatorFlag: "bot", source: "s", origin: "chatbot",
                                  createdAt: 0, updatedAt: 0, version: 2, deletedAt: nil)
        let links = RecordLinks(RecordSettings())
        let encoder = OmnichannelRefreshEncoder()
        let created = encoder.request(for: .created(record), links: links)
        XCTAssertEqual(created.method, "POST")
        XCTAssertEqual(created.path, "/deals")
        XCTAssertEqual(try JSONParser.parse(created.body), [
            "event": "deal.created", "room_id": "r", "external_id": "5", "deal_id": 5, "unique_id": "u-5",
            "name": "D", "stage": "S", "pipeline": .null, "external_url": .null,
            "creator_label": "Bot", "created_at": "1970-01-01T00:00:00.000Z", "version": 2,
        ])
        let updated = encoder.request(for: .updated(record, changed: ["stage"]), links: links)
        XCTAssertEqual([updated.method, updated.path], ["PUT", "/deals/5"])
        XCTAssertEqual(try JSONParser.parse(updated.body)["changed"], ["stage"])
        let deleted = encoder.request(for: .deleted(record), links: links)
        XCTAssertEqual([deleted.method, deleted.path], ["DELETE", "/deals/5"])
        XCTAssertEqual(RoomRefreshPublisher.idempotencyKey(.updated(record, changed: [])), "omnichannel:deal:5:v2")
    }
}

private extension ChatHistoryResult {
    var failure: ChatHistoryFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}
