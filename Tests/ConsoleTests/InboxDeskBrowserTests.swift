import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// The inbox's desk work in real Chromium: the SLA-state, language and unassigned filters, and bulk assignment
/// (`POST /v1/tickets/assignments`) — ticked tickets are assigned, one that someone changed after it was ticked is
/// reported and left alone.
final class InboxDeskBrowserTests: BrowserTestCase {
    func testFiltersBySLAStateAndUnassignedAndAssignsInBulk() throws {
        // Ten minutes after the first customer wrote, their first-response clock has passed; the others are fresh.
        try gateway.customerSays("my printer is broken", phone: "60111000001", name: "Ali")
        gateway.advance(minutes: 10)
        try gateway.customerSays("mesin resit rosak", phone: "60111000002", name: "Siti")
        try gateway.customerSays("hello there", phone: "60111000003", name: "Chen")
        let ids = try gateway.conversationTickets().compactMap { $0["id"]?.int64Value }
        let (late, malay, quiet) = (ids[2], ids[1], ids[0])
        XCTAssertEqual(try gateway.ticketAction(quiet, "assignment", #"{"assignee": "chen@example.com"}"#).status, 200)

        try signedIn(as: "agent", at: "/console/inbox")
        XCTAssertEqual(try shown(), [quiet, malay, late])
        try browser.choose("breached", in: "#filter-sla")
        try browser.click(".filters button[type=submit]")
        try waitForPage("inbox")
        XCTAssertEqual(try shown(), [late])
        XCTAssertTrue(try browser.currentURL.contains("sla=breached"))
        try browser.choose("due_soon", in: "#filter-sla")
        try browser.click(".filters button[type=submit]")
        try waitForPage("inbox")
        XCTAssertEqual(try shown(), [quiet, malay])
        try browser.choose("ms", in: "#filter-language")
        try browser.click(".filters button[type=submit]")
        try waitForPage("inbox")
        XCTAssertEqual(try shown(), [malay])

        try browser.choose("", in: "#filter-sla")
        try browser.choose("", in: "#filter-language")
        try browser.click("#filter-unassigned")
        try browser.click(".filters button[type=submit]")
        try waitForPage("inbox")
        XCTAssertEqual(try shown(), [malay, late])
        XCTAssertTrue(try browser.currentURL.contains("unassigned=true"))
        try browser.click("#filter-unassigned")
        try browser.click(".filters button[type=submit]")
        try waitForPage("inbox")
        XCTAssertEqual(try shown(), [quiet, malay, late])

        // The keyboard ticks the first ticket (Space on its focused box); the mouse ticks the others.
        try browser.run("document.querySelector('tr[data-ticket=\"\(late)\"] input.select-ticket').focus()")
        try browser.press(" ")
        try browser.click("tr[data-ticket=\"\(malay)\"] input.select-ticket")
        try browser.click("tr[data-ticket=\"\(quiet)\"] input.select-ticket")
        try browser.wait(for: "#bulk-count", containing: "3 selected")
        XCTAssertEqual(try browser.run("return document.querySelector('#select-all').checked").boolValue, true)
        // A colleague reassigns one of them meanwhile: its version moves on.
        XCTAssertEqual(try gateway.ticketAction(quiet, "assignment", #"{"assignee": "lee@example.com"}"#).status, 200)
        try browser.type("sam@example.com", into: "#bulk-assignee")
        try browser.click("#bulk-assign")
        try browser.wait(for: "#bulk-results li[data-result-ticket=\"\(quiet)\"][data-result=refused]",
                         containing: "someone changed it after you selected it")
        try browser.wait(for: "#bulk-results li[data-result-ticket=\"\(late)\"][data-result=assigned]",
                         containing: "assigned to sam@example.com")
        try browser.wait(for: "#bulk-results li[data-result-ticket=\"\(malay)\"][data-result=assigned]")
        for (ticket, assignee) in [(late, "sam@example.com"), (malay, "sam@example.com"), (quiet, "lee@example.com")] {
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["assignee"]?.stringValue, assignee)
        }
        let audited = try gateway.admin("GET", "/v1/audit?action=ticket.assignment").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(audited.filter { $0["actor"] == "agent@example.com" && $0["detail"]?["bulk"] == true }.count, 2,
                       "each assignment audited as the agent, as part of a bulk assignment")
        try browser.wait(for: "tr[data-ticket=\"\(late)\"]", containing: "sam@example.com")
        try capture("inbox-bulk", ready: "inbox")
        try open("/console/inbox?sla=breached&unassigned=false", page: "inbox")
        try recordTiming("inbox-filtered")
        XCTAssertEqual(try shown(), [late])
    }

    /// The tickets in the table, top to bottom.
    private func shown() throws -> [Int64] {
        (try browser.run("return [...document.querySelectorAll('tbody tr[data-ticket]')].map((row) => Number(row.dataset.ticket))")
            .arrayValue ?? []).compactMap(\.int64Value)
    }
}
