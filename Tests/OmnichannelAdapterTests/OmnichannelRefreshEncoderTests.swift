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
