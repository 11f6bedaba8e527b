@testable import CRM
import GatewayKit
@testable import OmnichannelAdapter
import XCTest

/// The Omnichannel refresh events on the wire: method, path and body per record change.
final class OmnichannelRefreshEncoderTests: XCTestCase {
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

/// The bodies are written member by member (the writer thread encodes one per bot-created record): byte for byte what
/// the general writer makes of the same members.
final class OmnichannelRefreshBytesTests: XCTestCase {
    private let encoder = OmnichannelRefreshEncoder()

    private func record(_ kind: RecordKind, _ fields: [String: JSONValue]) -> StoredRecord {
        StoredRecord(kind: kind, id: 7, uniqueID: "u-7", fields: fields, roomID: "room \"7\"", contactID: nil,
                     creatorFlag: "agentic_ai", source: "s", origin: "agent", createdAt: 1_783_000_000_123,
                     updatedAt: 0, version: 4, deletedAt: nil)
    }

    func testBodiesMatchTheGeneralWriter() {
        var settings = RecordSettings()
        settings.crmRecordURLBase = "https://crm.example"
        let deal = record(.deal, ["name": "Deal\n\"1\"", "stage": "Won", "pipeline": .null])
        let ticket = record(.ticket, ["name": "Ticket", "status": "open"])
        for links in [RecordLinks(RecordSettings()), RecordLinks(settings)] {
            for (record, idKey) in [(deal, "external_id"), (ticket, "crm_ticket_id")] {
                let url = JSONValue(links.externalURL(record.kind, id: 7))
                var shown: [String: JSONValue] = [
                    "event": .string("\(record.kind.rawValue).created"), "room_id": "room \"7\"", idKey: "7",
                    "external_url": url, "creator_label": "AI", "created_at": "2026-07-02T13:46:40.123Z",
                    "version": 4,
                ]
                if record.kind == .deal {
                    shown.merge(["deal_id": 7, "unique_id": "u-7", "name": "Deal\n\"1\"", "stage": "Won",
                                 "pipeline": .null]) { _, new in new }
                } else {
                    shown.merge(["crm_unique_ticket_id": "u-7", "crm_ticket_name": "Ticket",
                                 "status": "open"]) { _, new in new }
                }
                XCTAssertEqual(encoder.request(for: .created(record), links: links).body,
                               JSONWriter.bytes(.object(shown)))
                shown["event"] = .string("\(record.kind.rawValue).updated")
                shown["changed"] = ["name", "stage"]
                XCTAssertEqual(encoder.request(for: .updated(record, changed: ["name", "stage"]), links: links).body,
                               JSONWriter.bytes(.object(shown)))
                let deleted: JSONValue = ["event": .string("\(record.kind.rawValue).deleted"), "room_id": "room \"7\"",
                                          idKey: "7"]
                XCTAssertEqual(encoder.request(for: .deleted(record), links: links).body, JSONWriter.bytes(deleted))
            }
        }
    }
}
