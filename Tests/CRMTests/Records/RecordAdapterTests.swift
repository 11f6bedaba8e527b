@testable import CRM
import Delivery
import Foundation
@testable import GatewayKit
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

}
