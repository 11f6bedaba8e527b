import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The segments page in real Chromium: an admin builds a segment within the builder's limits, sees the live preview
/// count the API gives for the same rule and the API's word on a bad filter or name next to it, saves it, has it
/// evaluated, reads its members and performance, and sends a campaign whose progress the page follows; an agent may
/// look but not build; the list by status; the language switch.
final class SegmentsBrowserTests: BrowserTestCase {
    /// Aisyah and Ali (their names start with "A") and Ben write on WhatsApp.
    private func threeCustomers() throws {
        try gateway.customerSays("hi", phone: "60111000001", name: "Aisyah")
        try gateway.customerSays("hi", phone: "60111000002", name: "Ali")
        try gateway.customerSays("hi", phone: "60111000003", name: "Ben")
    }

    private func count(_ selector: String) throws -> Int {
        Int(try browser.run("return document.querySelectorAll(arguments[0]).length", [.string(selector)]).int64Value ?? -1)
    }

    private func isDisabled(_ selector: String) throws -> Bool {
        try browser.run("return document.querySelector(arguments[0]).disabled", [.string(selector)]).boolValue ?? false
    }

    func testASegmentIsBuiltPreviewedSavedEvaluatedAndSentACampaign() throws {
        try threeCustomers()
        try signedIn(as: "admin", at: "/console/segments", page: "segments")
        try browser.click("#new-segment")
        try browser.wait(for: "#segment-builder #filter-0-0-field")
        try waitForPage("segments")

        // The builder's limits: 3 filters in a group, 2 groups. The keyboard goes on with the filter just added.
        try browser.click(".group[data-group=\"0\"] .add-filter")
        XCTAssertEqual(try browser.run("return document.activeElement.id").stringValue, "filter-0-1-field")
        try browser.click(".group[data-group=\"0\"] .add-filter")
        XCTAssertEqual(try count(".group[data-group=\"0\"] .filter"), 3)
        XCTAssertTrue(try isDisabled(".group[data-group=\"0\"] .add-filter"))
        try browser.click("[data-filter=\"0-2\"] .remove-filter")
        try browser.click("[data-filter=\"0-1\"] .remove-filter")
        try browser.click("#add-group")
        XCTAssertEqual(try count(".group"), 2)
        XCTAssertTrue(try isDisabled("#add-group"))
        try browser.click(".group[data-group=\"1\"] .remove-group")
        XCTAssertEqual(try count(".group"), 1)

        // A filter without its value: the preview's 400 names it, and the page shows it by that control.
        try browser.choose("full_name", in: "#filter-0-0-field")
        try browser.choose("starts_with", in: "#filter-0-0-operator")
        try browser.wait(for: "#filter-0-0-value-error", containing: " ")
        XCTAssertEqual(try browser.run("return document.querySelector('#filter-0-0-value').getAttribute('aria-invalid')")
            .stringValue, "true")
        try browser.type("a", into: "#filter-0-0-value")
        try browser.wait(for: "#preview-count")
        let rule = #"{"logic": "and", "groups": [{"logic": "and", "filters": [{"field": "full_name", "operator": "starts_with", "value": "a"}]}]}"#
        let expected = try XCTUnwrap(try gateway.admin("POST", "/v1/segments/preview", body: rule).json?["matched"]?.int64Value)
        XCTAssertEqual(expected, 2)
        XCTAssertEqual(try browser.text(of: "#preview-count"), "2 of 3 customers match")
        XCTAssertEqual(try browser.text(of: "#filter-0-0-value-error"), "", "the error went once the value was there")
        try capture("segment-builder", ready: "segments")

        // Saving without a name: the API's 400 is shown by the name.
        try browser.click("#save-segment")
        try browser.wait(for: "#segment-name-error", containing: " ")
        try browser.type("A names", into: "#segment-name")
        try browser.click("#save-segment")
        try browser.wait(until: "return /\\/console\\/segments\\/\\d+$/.test(location.pathname)", "the new segment's page")
        try waitForPage("segments")
        let id = try XCTUnwrap(Int64(try browser.currentURL.split(separator: "/").last.map(String.init) ?? ""))
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(id)").json?["name"], "A names")
        XCTAssertTrue(try browser.text(of: "#segment-rule").hasSuffix("starts with a"))

        // Evaluated on demand, the page redraws itself once the segment is ready: its members and the send form.
        if try browser.text(of: "#segment-readiness") != "Ready" { try browser.click("#refresh-segment") }
        try browser.wait(for: "#segment-readiness", containing: "Ready", timeout: 15)
        try browser.wait(for: "#segment-members tbody", containing: "Aisyah")
        XCTAssertEqual(try count("#segment-members tr[data-member]"), 2)
        XCTAssertTrue(try browser.text(of: "#segment-members").contains("Ali"))
        XCTAssertNotNil(try browser.find("#chart-size svg[role=img]"), "the size after each evaluation")
        XCTAssertEqual(try browser.text(of: "#campaign-estimate"), "2 of 2 have WhatsApp")

        // The campaign: the template's name parameter from the customer, the offer as text; then its progress.
        try browser.type("Raya", into: "#campaign-name")
        try browser.choose("segment_promotion", in: "#campaign-template")
        try browser.type("20% off this week.", into: "#variable-1-value")
        try browser.click("#start-campaign")
        try browser.wait(for: "#campaign-progress")
        try browser.wait(for: "#campaign-progress[data-status=sent]", timeout: 15)
        try browser.wait(for: "#campaign-recipients tbody", containing: "Aisyah")
        XCTAssertEqual(try count("#campaign-recipients tr[data-outcome]"), 2)
        XCTAssertEqual(try browser.run("return document.querySelector('#campaign-bar').value").int64Value, 2)
        let campaigns = try gateway.admin("GET", "/v1/segments/\(id)/campaigns").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(campaigns.count, 1, "one campaign, however the form was clicked")
        XCTAssertEqual(campaigns.first?["name"], "Raya")
        try open("/console/segments/\(id)", page: "segments")
        try recordTiming("segment")
        try browser.wait(for: "#campaign-list", containing: "Raya")
        try capture("segment", ready: "segments")
    }

    func testTheListByStatusEditDuplicateAndArchive() throws {
        try threeCustomers()
        let id = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: #"{"name": "B names", "groups": [{"filters": [{"field": "full_name", "operator": "starts_with", "value": "b"}]}]}"#).json?["id"]?.int64Value)
        let evaluated = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: #"{"name": "A names", "groups": [{"filters": [{"field": "full_name", "operator": "starts_with", "value": "a"}]}]}"#).json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(evaluated)/refresh").status, 202)
        eventually("A names evaluated") { try self.gateway.admin("GET", "/v1/segments/\(evaluated)").json?["readiness"] == "ready" }
        try signedIn(as: "admin", at: "/console/segments", page: "segments")
        try browser.wait(for: "#segments tr[data-segment=\"\(id)\"]", containing: "B names")
        try browser.wait(for: "#segments tr[data-segment=\"\(evaluated)\"]", containing: "Ready")
        try recordTiming("segments")
        try capture("segments", ready: "segments")
        try browser.click("#segments tr[data-segment=\"\(id)\"] a")
        try waitForPage("segments")

        // Edited in the builder, which starts from the saved rule.
        try browser.click("#edit-segment")
        try browser.wait(for: "#segment-builder #filter-0-0-value")
        try waitForPage("segments")
        XCTAssertEqual(try browser.run("return document.querySelector('#filter-0-0-value').value").stringValue, "b")
        try browser.wait(for: "#preview-count", containing: "1 of 3")
        try browser.type("Names with B", into: "#segment-name")
        try browser.click("#save-segment")
        try browser.wait(for: "h1", containing: "Names with B")
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(id)").json?["name"], "Names with B")

        // Duplicated: the copy's own page.
        try browser.click("#duplicate-segment")
        try browser.wait(for: "h1", containing: "Copy of Names with B")
        try waitForPage("segments")
        XCTAssertFalse(try browser.currentURL.hasSuffix("/console/segments/\(id)"), "the copy has its own address")
        try open("/console/segments/\(id)", page: "segments")

        try browser.click("#archive-segment")
        try browser.wait(for: "#archive-dialog[open]", containing: "Names with B")
        try browser.click("#archive-dialog button", containing: "Archive")
        try browser.wait(for: "#segment-status", containing: "Archived")
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(id)").json?["status"], "archived")
        try open("/console/segments", page: "segments")
        XCTAssertNil(try browser.find("#segments tr[data-segment=\"\(id)\"]"), "the list shows active segments first")
        try browser.choose("archived", in: "#segment-status-filter")
        try browser.click(".filters button[type=submit]")
        try browser.wait(for: "#segments tr[data-segment=\"\(id)\"]", containing: "Archived")
    }

    func testAnAgentMayLookButNotBuild() throws {
        try signedIn(as: "agent", at: "/console/segments", page: "segments")
        XCTAssertNil(try browser.find("#new-segment"))
        try open("/console/segments/new", page: "segments")
        XCTAssertEqual(try browser.text(of: "main .notice"), "Your role cannot open this page.")
    }

    func testTheSegmentsPagesInBahasaMalaysia() throws {
        try signedIn(as: "admin", at: "/console/segments/new", page: "segments")
        try assertInBahasaMalaysia(page: "segments", heading: "Segmen baharu", englishHeading: "New segment", [
            ("#save-segment", "Simpan segmen"), ("label[for=filter-0-0-operator]", "Syarat"),
            (".bar nav a[data-nav=segments]", "Segmen"),
        ])
    }
}
