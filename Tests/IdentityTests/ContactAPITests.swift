import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Black-box: WhatsApp deliveries through the real HTTP surface create identities; the contact API reads and edits
/// them under the phone protection rules. Requirement rows covered here (the CDP/CRM data-model rows are in
/// ``IdentityScenarioTests``):
/// - "Scenario 7 — Handling Phone Removal or Edit from CRM" and "Disable Phone Editing … Scenario 1 — Disable Edit for
///   Linked Phone", "Scenario 3 — API Enforcement": `testLinkedPhoneCannotBeEditedOrDeletedButNewPhonesCanBeAdded`;
/// - "Scenario 2 — Allow Adding New Phone": the same test;
/// - Edge "If BSUID is deleted → phone becomes editable again": `testDeletingTheBSUIDMakesThePhoneEditable`;
/// - Lookup priority BSUID → phone → email for CRM writes: `testCRMWritesResolveByBSUIDThenPhoneThenEmail`.
final class ContactAPITests: XCTestCase {
    static let bsuid = "US.13491208655302741918"
    static let phone = "16505551234"

    private func gatewayWithSheena(crmEventsURL: String? = nil) throws -> (TestGateway, String) {
        let gateway = try TestGateway.identity(multiBSUID: true, crmEventsURL: crmEventsURL)
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.textBatch.utf8)).status, 200)
        gateway.waitForIdentity()
        let found = try gateway.contacts("GET", "/v1/contacts?bsuid=\(Self.bsuid)")
        XCTAssertEqual(found.status, 200, found.text)
        return (gateway, found.json?["id"]?.stringValue ?? "")
    }

    func testInboundContactIsReadableByIdPhoneAndBSUID() throws {
        let (gateway, id) = try gatewayWithSheena()
        XCTAssertTrue(id.hasPrefix("cus_"))
        let contact = try gateway.contacts("GET", "/v1/contacts/\(id)").json
        XCTAssertEqual(contact?["name"]?.stringValue, "Sheena Nelson")
        XCTAssertEqual(contact?["bsuids"]?.at(0)?["bsuid"]?.stringValue, Self.bsuid)
        XCTAssertEqual(contact?["bsuids"]?.at(0)?["phone"]?.stringValue, "+" + Self.phone)
        XCTAssertEqual(contact?["phones"]?.at(0)?["editable"]?.boolValue, false, "a BSUID-linked phone is read-only")
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?phone=%2B\(Self.phone)").json?["id"]?.stringValue, id)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers").first?["n"], "1")
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'contact'").first?["status"],
                       "applied")
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("gateway_identity_customers_created_total 1"), metrics)
        XCTAssertTrue(metrics.contains("gateway_identity_bsuids_attached_total 1"))
        XCTAssertTrue(metrics.contains("gateway_identity_merges_avoided_total 1"), "the message sender matched")
    }

    func testLinkedPhoneCannotBeEditedOrDeletedButNewPhonesCanBeAdded() throws {
        let (gateway, id) = try gatewayWithSheena()
        for phones: JSONValue in [[], ["+16505551299"]] {
            let refused = try gateway.contacts("PATCH", "/v1/contacts/\(id)", ["phones": phones])
            XCTAssertEqual(refused.status, 400)
            XCTAssertEqual(refused.json?["detail"]?.stringValue, "Phone is linked to BSUID and cannot be modified")
        }
        let anchored = try gateway.contacts("GET", "/v1/contacts?bsuid=\(Self.bsuid)").json
        XCTAssertEqual(anchored?["phones"]?.at(0)?["linked_bsuid"]?.stringValue, Self.bsuid, "mapping untouched")
        let edited = try gateway.contacts("PATCH", "/v1/contacts/\(id)/", ["bsuids": [["bsuid": .string(Self.bsuid),
                                                                                      "phone": "+16505551299"]]])
        XCTAssertEqual(edited.json?["detail"]?.stringValue, "Phone is linked to BSUID and cannot be modified")
        let added = try gateway.contacts("PATCH", "/v1/contacts/\(id)",
                                         ["phones": ["+1 650 555 1234", "+15550009999"], "emails": ["Sheena@Example.com"]])
        XCTAssertEqual(added.status, 200, added.text)
        XCTAssertEqual(added.json?["phones"]?.arrayValue?.count, 2)
        XCTAssertEqual(added.json?["phones"]?.at(1)?["editable"]?.boolValue, true)
        XCTAssertEqual(added.json?["emails"]?.at(0)?.stringValue, "sheena@example.com")
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?email=sheena@example.com").status, 200)
        let audit = try gateway.rows("SELECT actor, action FROM identity_audit WHERE action IN ('phone.added', 'email.added')")
        XCTAssertTrue(audit.contains { $0["actor"] == "admin" && $0["action"] == "email.added" })
    }

    func testDeletingTheBSUIDMakesThePhoneEditable() throws {
        let (gateway, id) = try gatewayWithSheena()
        let deleted = try gateway.contacts("DELETE", "/v1/contacts/\(id)/bsuids/\(Self.bsuid)")
        XCTAssertEqual(deleted.status, 200, deleted.text)
        XCTAssertEqual(deleted.json?["bsuids"]?.arrayValue?.count, 0)
        XCTAssertEqual(deleted.json?["phones"]?.at(0)?["editable"]?.boolValue, true)
        let edited = try gateway.contacts("PATCH", "/v1/contacts/\(id)", ["phones": ["+16505551299"]])
        XCTAssertEqual(edited.status, 200, edited.text)
        XCTAssertEqual(edited.json?["phones"]?.at(0)?["phone"]?.stringValue, "+16505551299")
        XCTAssertEqual(try gateway.contacts("DELETE", "/v1/contacts/\(id)/bsuids/\(Self.bsuid)").status, 404)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM identity_audit WHERE action = 'bsuid.deleted'")
            .first?["n"], "1")
    }

    func testBadInputIsRefusedWithFieldErrorsAndNothingIsWritten() throws {
        let (gateway, id) = try gatewayWithSheena()
        let auditBefore = try gateway.rows("SELECT count(*) AS n FROM identity_audit").first?["n"]
        let longName = "@" + String(repeating: "a", count: 36)
        let cases: [(String, JSONValue, String)] = [
            ("malformed BSUID", ["bsuids": [["bsuid": "13491208655302741918"]]], "bsuids[0].bsuid"),
            ("phone not E.164", ["phones": ["+16505551234", "0650-555"]], "phones[1]"),
            ("phone with letters", ["phones": ["+1650555ABCD"]], "phones[0]"),
            ("username without @", ["bsuids": [["bsuid": .string(Self.bsuid), "username": "sheena"]]],
             "bsuids[0].username"),
            ("username too long", ["bsuids": [["bsuid": .string(Self.bsuid), "username": .string(longName)]]],
             "bsuids[0].username"),
            ("unknown field", ["name": "x", "nickname": "y"], "nickname"),
            ("unknown BSUID field", ["bsuids": [["bsuid": .string(Self.bsuid), "color": "red"]]], "bsuids[0].color"),
            ("bad email", ["emails": ["not-an-email"]], "emails[0]"),
        ]
        for (name, body, field) in cases {
            let response = try gateway.contacts("PATCH", "/v1/contacts/\(id)", body)
            XCTAssertEqual(response.status, 400, name)
            XCTAssertEqual(ClientResponseSummary(response).fields, [field], name)
        }
        XCTAssertEqual(try gateway.contacts("PATCH", "/v1/contacts/cus_nope", ["name": "x"]).status, 404)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts/cus_nope").status, 404)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?phone=%2B15550000000").status, 404)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?phone=1&email=a@b.c").status, 400)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?bsuid=nope").status, 400)
        XCTAssertEqual(try gateway.contacts("DELETE", "/v1/contacts/\(id)/bsuids/nope").status, 400)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts/\(id)", token: nil).status, 401)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts/\(id)", token: "wrong").status, 401)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM identity_audit").first?["n"], auditBefore)
    }

    func testConflictingIdentifiersAre409WithBothIdsAndNothingHalfWritten() throws {
        let (gateway, sheena) = try gatewayWithSheena()
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.bsuidOnly.utf8)).status, 200)
        gateway.waitForIdentity()
        let pat = try gateway.contacts("GET", "/v1/contacts?bsuid=US.8472615093847261").json?["id"]?.stringValue ?? ""
        XCTAssertNotEqual(pat, sheena)
        let attempts: [JSONValue] = [
            ["name": "Pat", "phones": ["+16505551234"]],
            ["emails": ["pat@example.com"], "bsuids": [["bsuid": "US.8472615093847999", "phone": "+16505551234"]]],
            ["bsuids": [["bsuid": .string(Self.bsuid)]]],
        ]
        for body in attempts {
            let response = try gateway.contacts("PATCH", "/v1/contacts/\(pat)", body)
            XCTAssertEqual(response.status, 409, response.text)
            XCTAssertEqual(response.json?["contact_id"]?.stringValue, pat)
            XCTAssertEqual(response.json?["conflicting_contact_id"]?.stringValue, sheena)
            XCTAssertTrue(response.json?["detail"]?.stringValue?.contains(sheena) ?? false)
        }
        let after = try gateway.contacts("GET", "/v1/contacts/\(pat)").json
        XCTAssertEqual(after?["name"]?.stringValue, "Pat Lee", "the refused patch changed nothing")
        XCTAssertEqual(after?["emails"]?.arrayValue?.count, 0)
        XCTAssertEqual(after?["bsuids"]?.arrayValue?.count, 1)
    }

    func testToggleOffKeepsPhoneOnlyBehaviour() throws {
        let gateway = try TestGateway.identity(multiBSUID: false)
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.textBatch.utf8)).status, 200)
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.bsuidOnly.utf8)).status, 200)
        gateway.waitForIdentity()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers").first?["n"], "1")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customer_bsuids").first?["n"], "0")
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE inbox_id = 2 AND kind = 'contact'")
            .first?["status"], "ignored")
        let contact = try gateway.contacts("GET", "/v1/contacts?phone=\(Self.phone)")
        XCTAssertEqual(contact.json?["phones"]?.at(0)?["editable"]?.boolValue, true)
        let id = contact.json?["id"]?.stringValue ?? ""
        XCTAssertEqual(try gateway.contacts("PATCH", "/v1/contacts/\(id)", ["phones": ["+16505551299"]]).status, 200)
        let refused = try gateway.contacts("PATCH", "/v1/contacts/\(id)", ["bsuids": [["bsuid": .string(Self.bsuid)]]])
        XCTAssertEqual(ClientResponseSummary(refused).fields, ["bsuids"])
    }

    func testTwoDeliveriesForTheSameNewUserAtOnceCreateOneCustomer() throws {
        let gateway = try TestGateway.identity(multiBSUID: true)
        for round in 0..<20 {
            let bodies = (0..<2).map { n in
                WhatsAppBodyBuilder.message(id: "wamid.RACE-\(round)-\(n)", phone: "1555\(String(format: "%07d", round))",
                                            bsuid: "US.9\(String(format: "%09d", round))", username: "racer\(round)",
                                            timestamp: 1_767_000_000)
            }
            DispatchQueue.concurrentPerform(iterations: 2) { n in
                _ = try? gateway.postWhatsApp(bodies[n])
            }
        }
        gateway.waitForIdentity()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers").first?["n"], "20")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customer_bsuids").first?["n"], "20")
    }

    func testPoisonIdentityItemFailsAloneAndIdentityChangesApply() throws {
        let gateway = try TestGateway.identity(multiBSUID: true, crmEventsURL: TestGateway.unansweredCRMEventsURL)
        let bad = WhatsAppBodyBuilder.message(id: "wamid.BAD", phone: "15550001111", bsuid: "not-a-bsuid", timestamp: 10)
        XCTAssertEqual(try gateway.postWhatsApp(bad).status, 200)
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.mixedBatch.utf8)).status, 200)
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.systemChanges.utf8)).status, 200)
        gateway.waitForIdentity()
        let failed = try gateway.rows("SELECT error FROM inbox_items WHERE status = 'failed' AND inbox_id = 1")
        XCTAssertEqual(failed.count, 2, "the contact and the message of the poison delivery")
        XCTAssertTrue(failed.first?["error"]?.contains("user_id") ?? false)
        let siti = try gateway.contacts("GET", "/v1/contacts?bsuid=MY.2718281828459045").json
        XCTAssertEqual(siti?["bsuids"]?.arrayValue?.count, 2)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?phone=60123456789").json?["id"], siti?["id"],
                       "the old number still finds the customer")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbox WHERE endpoint = 'crm'").first?["n"]
            .flatMap(Int.init).map { $0 > 0 }, true, "identity changes are emitted to the CRM through the outbox")
    }

    func testCRMWritesResolveByBSUIDThenPhoneThenEmail() throws {
        let (gateway, sheena) = try gatewayWithSheena()
        let created = try gateway.contacts("POST", "/v1/contacts", ["name": "Ali", "emails": ["ali@example.com"]])
        XCTAssertEqual(created.status, 201, created.text)
        let ali = created.json?["id"]?.stringValue ?? ""
        let byEmail = try gateway.contacts("POST", "/v1/contacts", ["emails": ["ALI@example.com"], "phones": ["+60111222333"]])
        XCTAssertEqual(byEmail.status, 200, "email fallback found the contact instead of creating a duplicate")
        XCTAssertEqual(byEmail.json?["id"]?.stringValue, ali)
        XCTAssertEqual(byEmail.json?["phones"]?.at(0)?["phone"]?.stringValue, "+60111222333")
        let byPhone = try gateway.contacts("POST", "/v1/contacts", ["phones": ["+60111222333"], "emails": ["a2@example.com"]])
        XCTAssertEqual(byPhone.json?["id"]?.stringValue, ali)
        XCTAssertEqual(byPhone.json?["emails"]?.arrayValue?.count, 2, "additive: nothing removed")
        let byBSUID = try gateway.contacts("POST", "/v1/contacts", ["bsuids": [["bsuid": .string(Self.bsuid)]],
                                                                   "emails": ["sheena@example.com"]])
        XCTAssertEqual(byBSUID.json?["id"]?.stringValue, sheena, "BSUID has priority")
        let conflict = try gateway.contacts("POST", "/v1/contacts", ["bsuids": [["bsuid": .string(Self.bsuid)]],
                                                                    "emails": ["ali@example.com"]])
        XCTAssertEqual(conflict.status, 409)
        XCTAssertEqual(conflict.json?["contact_id"]?.stringValue, sheena)
        XCTAssertEqual(conflict.json?["conflicting_contact_id"]?.stringValue, ali)
        XCTAssertEqual(try gateway.contacts("POST", "/v1/contacts", ["name": "Nobody"]).status, 400)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM customers").first?["n"], "2")
    }

    func testIdentityChangesReachTheOutboxAsOneEventPerContact() throws {
        let (gateway, sheena) = try gatewayWithSheena(crmEventsURL: TestGateway.unansweredCRMEventsURL)
        let rows = try gateway.rows("SELECT endpoint, body, ordering_key FROM outbox ORDER BY id")
        XCTAssertEqual(rows.count, 1, "one event: the contact was created by the first item, the sender matched")
        XCTAssertEqual(rows.first?["endpoint"], "crm")
        let event = try JSONParser.parse(Array((rows.first?["body"] ?? "").utf8))
        XCTAssertEqual(event["type"]?.stringValue, "contact.identity_changed")
        XCTAssertEqual(event["data"]?["contact_id"]?.stringValue, sheena)
        XCTAssertEqual(event["data"]?["changes"]?.at(0)?["action"]?.stringValue, "customer.created")
        XCTAssertEqual(rows.first?["ordering_key"], sheena)
    }
}
