import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Black-box over the WhatsApp webhook and the contact API: a customer known by a BSUID keeps its id when the BSUID
/// later arrives with a phone that an older customer owns — the older customer folds into it, its id still resolves
/// (to the survivor), and the merge is in the audit trail.
final class KnownBSUIDIdentityTests: XCTestCase {
    private let bsuid = "MY.4471234567890123"
    private let phone = "60123450001"

    private func deliver(_ gateway: TestGateway, _ id: String, phone: String?, bsuid: String?, at: Int64) throws {
        let body = WhatsAppBodyBuilder.message(id: id, phone: phone, bsuid: bsuid, username: bsuid == nil ? nil : "pat",
                                               name: "Pat", timestamp: at)
        XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
        gateway.waitForIdentity()
    }

    private func contactID(_ gateway: TestGateway, _ query: String) throws -> String? {
        try gateway.contacts("GET", "/v1/contacts?\(query)").json?["id"]?.stringValue
    }

    func testTheBSUIDsCustomerSurvivesAndTheOlderPhoneCustomerFoldsIntoIt() throws {
        let gateway = try TestGateway.identity(multiBSUID: true)
        try deliver(gateway, "wamid.phone-only", phone: phone, bsuid: nil, at: 1_770_000_000)
        let older = try XCTUnwrap(try contactID(gateway, "phone=%2B\(phone)"))
        try deliver(gateway, "wamid.bsuid-only", phone: nil, bsuid: bsuid, at: 1_770_000_010)
        let known = try XCTUnwrap(try contactID(gateway, "bsuid=\(bsuid)"))
        XCTAssertNotEqual(older, known)

        try deliver(gateway, "wamid.both", phone: phone, bsuid: bsuid, at: 1_770_000_020)
        XCTAssertEqual(try contactID(gateway, "bsuid=\(bsuid)"), known, "the known BSUID keeps its customer id")
        XCTAssertEqual(try contactID(gateway, "phone=%2B\(phone)"), known)
        let viaOlder = try gateway.contacts("GET", "/v1/contacts/\(older)")
        XCTAssertEqual(viaOlder.status, 200, viaOlder.text)
        XCTAssertEqual(viaOlder.json?["id"]?.stringValue, known, "the folded customer's id resolves to the survivor")
        XCTAssertEqual(viaOlder.json?["bsuids"]?.at(0)?["phone"]?.stringValue, "+" + phone)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers WHERE merged_into IS NULL").first?["n"], "1")
        XCTAssertEqual(try gateway.rows("""
            SELECT a.before, a.after FROM identity_audit a WHERE a.action = 'customer.merged' ORDER BY a.id LIMIT 1
            """).first, ["before": "\"\(older)\"", "after": "\"\(known)\""])
    }
}
