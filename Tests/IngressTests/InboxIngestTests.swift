import GatewayKit
@testable import Ingress
import XCTest

/// The acknowledgement's body and the delivery id, written byte by byte on every webhook.
final class InboxIngestTests: XCTestCase {
    func testAcknowledgementIsWhatTheJSONWriterMakesOfIt() {
        let id = InboxIngest.newDeliveryID(at: 1_767_225_600_123)
        XCTAssertEqual(InboxIngest.acknowledgement(id),
                       JSONWriter.bytes(.object(["status": "accepted", "inbox_id": .string(id)])))
    }

    func testDeliveryIDIsTwelveTimeDigitsThenSixteenRandomOnes() throws {
        let id = InboxIngest.newDeliveryID(at: 0x18f_2b3c_4d5e)
        XCTAssertTrue(id.hasPrefix("inb_018f2b3c4d5e"), id)
        XCTAssertEqual(id.count, 4 + 12 + 16)
        XCTAssertTrue(id.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) }, id)
        XCTAssertNotEqual(InboxIngest.newDeliveryID(at: 1).suffix(16), InboxIngest.newDeliveryID(at: 1).suffix(16))
        XCTAssertEqual(InboxIngest.newDeliveryID(at: -5).prefix(16), "inb_000000000000")
        XCTAssertEqual(InboxIngest.newDeliveryID(at: 0x1_0000_0000_0000).prefix(17), "inb_1000000000000")
    }
}
