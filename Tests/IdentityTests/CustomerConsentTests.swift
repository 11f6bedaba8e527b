import Delivery
import GatewayKit
import GatewayTesting
import Identity
import XCTest

/// A customer's stop or resume of marketing messages, applied like any identity fact: it lands on the customer the
/// phone or BSUID resolves to, the latest choice wins whatever the arrival order, and a merge keeps the latest of both.
final class CustomerConsentTests: XCTestCase {
    private func preference(_ choice: InboundPreference.Choice, bsuid: String? = nil, phone: String? = nil,
                            at: Int64) -> InboundEvent {
        .preference(InboundPreference(channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID,
                                      phone: phone, userID: bsuid, category: InboundPreference.marketingCategory,
                                      choice: choice, timestamp: at))
    }

    func testAMergedCustomerKeepsTheLatestChoiceOfBoth() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        try store.apply(IdentityEvents.contact("US.100001", phone: "15550001"), at: 10)
        try store.apply(IdentityEvents.contact("US.200002"), at: 5)
        try store.apply(preference(.stop, bsuid: "US.100001", at: 12))
        try store.apply(preference(.resume, bsuid: "US.200002", at: 11))
        // US.200002 takes the phone: the phone's customer folds into US.200002's.
        try store.apply(IdentityEvents.contact("US.200002", phone: "15550001"), at: 20)
        XCTAssertEqual(try store.state(), ["bsuids=[US.100001,US.200002>15550001] phones=[15550001]"])

        let survivor = try XCTUnwrap(store.customerID(ofBSUID: "US.200002"))
        let contact = try XCTUnwrap(ContactDirectory.contact(publicID: survivor, in: store.connection))
        XCTAssertEqual(contact["consents"]?["marketing_messages"]?["status"], "withdrawn")
        XCTAssertEqual(contact["consents"]?["marketing_messages"]?["changed_at"], 12)
        XCTAssertEqual(try store.count("SELECT count(*) FROM customer_consents"), 1, "the loser's row is folded in")
        XCTAssertTrue(try CustomerConsents.isWithdrawn("marketing_messages", phone: "15550001", in: store.connection))
        XCTAssertTrue(try CustomerConsents.isWithdrawn("marketing_messages", bsuid: "US.100001", in: store.connection))
        XCTAssertFalse(try CustomerConsents.isWithdrawn("marketing_messages", phone: "15550009", in: store.connection))
    }

    func testAChoiceFromAnUnknownCustomerCreatesThemWithIt() throws {
        let store = try IdentityTestStore(mode: .phoneOnly)
        let applied = try store.apply(preference(.stop, phone: "60123456789", at: 30))
        XCTAssertNotNil(applied.contactID)
        XCTAssertEqual(try store.state(), ["bsuids=[] phones=[60123456789]"])
        XCTAssertTrue(try CustomerConsents.isWithdrawn("marketing_messages", phone: "60123456789",
                                                       in: store.connection))
        XCTAssertEqual(try store.count("SELECT count(*) FROM identity_audit WHERE action = 'consent.withdrawn'"), 1)
    }

    func testAValueTheGatewayDoesNotKnowChangesNothing() throws {
        let store = try IdentityTestStore(mode: .phoneOnly)
        try store.apply(preference(.other("pause"), phone: "60123456789", at: 30))
        XCTAssertEqual(try store.count("SELECT count(*) FROM customer_consents"), 0)
    }
}
