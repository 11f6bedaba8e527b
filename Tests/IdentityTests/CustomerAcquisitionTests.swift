import Delivery
import GatewayKit
import GatewayTesting
import Identity
import XCTest

/// The ad a customer first came from: the earliest referral wins whatever the arrival order, and a merge keeps the
/// earlier of the two customers'.
final class CustomerAcquisitionTests: XCTestCase {
    private func message(_ id: String, bsuid: String? = nil, phone: String? = nil, ad: String, at: Int64)
        -> InboundEvent {
        .message(InboundMessage(id: id, channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID,
                                senderPhone: phone, senderUserID: bsuid, timestamp: at, type: .text, text: "hi",
                                referral: InboundReferral(sourceType: "ad", sourceID: ad)))
    }

    private func acquisition(_ bsuid: String, in store: IdentityTestStore) throws -> JSONValue? {
        let id = try XCTUnwrap(store.customerID(ofBSUID: bsuid))
        return try ContactDirectory.contact(publicID: id, in: store.connection)?["acquisition"]
    }

    func testTheEarliestAdWinsWhateverTheArrivalOrder() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        try store.apply(message("wamid.2", bsuid: "US.100001", ad: "LATER", at: 20))
        try store.apply(message("wamid.1", bsuid: "US.100001", ad: "FIRST", at: 10))
        try store.apply(message("wamid.3", bsuid: "US.100001", ad: "LAST", at: 30))
        XCTAssertEqual(try acquisition("US.100001", in: store)?["source_id"], "FIRST")
        XCTAssertEqual(try acquisition("US.100001", in: store)?["message_id"], "wamid.1")
        XCTAssertEqual(try store.count("SELECT count(*) FROM identity_audit WHERE action = 'acquisition.recorded'"), 2)
    }

    func testAMergedCustomerKeepsTheEarlierAcquisition() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        try store.apply(IdentityEvents.contact("US.100001", phone: "15550001"), at: 10)
        try store.apply(IdentityEvents.contact("US.200002"), at: 5)
        try store.apply(message("wamid.A", bsuid: "US.100001", ad: "EARLY", at: 11))
        try store.apply(message("wamid.B", bsuid: "US.200002", ad: "LATE", at: 12))
        try store.apply(IdentityEvents.contact("US.200002", phone: "15550001"), at: 20)
        XCTAssertEqual(try store.state(), ["bsuids=[US.100001,US.200002>15550001] phones=[15550001]"])
        XCTAssertEqual(try acquisition("US.200002", in: store)?["source_id"], "EARLY")
        XCTAssertEqual(try store.count("SELECT count(*) FROM customer_acquisitions"), 1)
    }
}
