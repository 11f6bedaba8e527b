import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The contact and renewals pages in real Chromium: an agent reads a customer's identity and tickets; an admin
/// exports and, after confirming, erases their personal data; renewal staff see the cycles due.
final class ContactBrowserTests: BrowserTestCase {
    func testAnAgentOpensTheContactOfATicket() throws {
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+60199000007"])
        try gateway.customerSays("Where is my invoice?", phone: "60123456789", name: "Aisyah")
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        XCTAssertEqual(try gateway.linkOutlet(ticket, #"{"oid": "O7"}"#).status, 200)
        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        try browser.click("#contact-link")
        try waitForPage("contacts")
        XCTAssertEqual(try browser.text(of: "h1"), "Aisyah")
        XCTAssertTrue(try browser.text(of: "#phones").contains("+60123456789"))
        try browser.wait(for: "#contact-tickets a", containing: "T-\(ticket)")
        XCTAssertTrue(try browser.text(of: "#contact-outlets").contains("Kopi Co Bangsar"), "the outlets of their tickets")
        XCTAssertEqual(try browser.text(of: "#contact-segments"), "None", "in no segment yet")
        XCTAssertNil(try browser.find("#export"), "agents are not offered the PDPA tools")
        try capture("contact", ready: "contacts")
    }

    func testAnAdminExportsAndAfterConfirmingErasesAPersonsData() throws {
        try gateway.customerSays("Please delete my data", phone: "60123456789", name: "Aisyah")
        let contact = try XCTUnwrap(gateway.admin("GET", "/v1/contacts?phone=%2B60123456789").json?["id"]?.stringValue)
        try signedIn(as: "admin", at: "/console/contacts/\(contact)", page: "contacts")
        try browser.click("#export")
        try browser.wait(for: "#status", containing: "The export was downloaded.")
        try browser.click("#erase")
        try browser.wait(for: "#erase-dialog[open]", containing: "cannot be undone")
        try browser.click("#erase-dialog button", containing: "Cancel")
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(contact)").json?["name"]?.stringValue, "Aisyah",
                       "nothing is erased without the confirmation")
        try browser.click("#erase")
        try browser.click("#erase-yes")
        try browser.wait(until: "return document.querySelector('#erase') === null && document.body.dataset.ready === '1'",
                         "the page redrawn after the erasure")
        try browser.wait(for: "#erased", containing: "Erased")
        XCTAssertNotEqual(try browser.text(of: "h1"), "Aisyah")
        XCTAssertTrue(try browser.text(of: "#phones").contains("None"))
        XCTAssertNil(try gateway.admin("GET", "/v1/contacts/\(contact)").json?["name"]?.stringValue)
    }

    func testRenewalStaffSeeTheCyclesDue() throws {
        let due = CalendarDate(unixMillis: gateway.clock.now + 14 * 86_400_000,
                               in: TimeZone(identifier: "Asia/Kuala_Lumpur")!)
        try gateway.pushOutlet("O9", #"{"fid": "F9", "franchise_name": "Kopi Co", "name": "Kopi Co Ampang", "phones": ["+60123000009"], "expiry_date": "\#(due)", "status": "active"}"#)
        try gateway.runRenewalsNow()
        try signedIn(as: "renewal", at: "/console/renewals", page: "renewals")
        let navigation = try browser.text(of: ".bar nav")
        XCTAssertTrue(navigation.contains("Renewals") && navigation.contains("Inbox"), navigation)
        XCTAssertFalse(navigation.contains("Operations"), navigation)
        try browser.wait(for: "#renewals tbody tr", containing: "F9/O9")
        XCTAssertTrue(try browser.text(of: "#renewals tbody tr").contains(due.description))
        XCTAssertTrue(try browser.text(of: "#renewal-summary").contains("Recovered"))
        try capture("renewals", ready: "renewals")
    }
}
