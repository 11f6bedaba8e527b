import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// The inbox in real Chromium: a page of 50 at a time, older pages by cursor, the queues and the filters.
final class InboxBrowserTests: BrowserTestCase {
    func testTheInboxPagesByFiftyAndFiltersByQueueStatusAndOutlet() throws {
        // The outlet's phone is known before its owner writes, so that customer's ticket is linked to it.
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+601100000007"])
        try postMessages(count: 120)

        try signedIn(as: "agent", at: "/console/inbox")
        XCTAssertEqual(try rows(), 50)
        let first = try browser.text(of: "tbody tr:first-child a")
        try browser.click("#older")
        try waitForPage("inbox")
        XCTAssertEqual(try rows(), 50)
        XCTAssertNotEqual(try browser.text(of: "tbody tr:first-child a"), first, "the next page holds older tickets")
        try browser.click("#older")
        try waitForPage("inbox")
        XCTAssertEqual(try rows(), 20)
        XCTAssertNil(try browser.find("#older"), "the last page has no older one")
        try browser.click(".pager button", containing: "Newest")
        try waitForPage("inbox")
        XCTAssertEqual(try browser.text(of: "tbody tr:first-child a"), first)

        // The live updates leave an unchanged page alone: keyboard focus stays on the ticket it was on.
        try browser.run("document.querySelector('tbody tr:nth-child(3) a').focus()")
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try browser.run("return document.activeElement.closest('tr').dataset.ticket").stringValue,
                       try browser.run("return document.querySelector('tbody tr:nth-child(3)').dataset.ticket").stringValue)

        try browser.type("O7", into: "#filter-outlet")
        try browser.click(".filters button[type=submit]")
        try browser.wait(for: "tbody tr:first-child", containing: "Kopi Co Bangsar")
        XCTAssertEqual(try rows(), 1)
        XCTAssertTrue(try browser.currentURL.contains("oid=O7"))

        try browser.choose("pending", in: "#filter-status")
        try browser.click(".filters button[type=submit]")
        try browser.wait(for: "tbody td", containing: "No tickets match.")
        try browser.click(".tabs button[data-queue=unlinked]")
        try waitForPage("inbox")
        XCTAssertEqual(try browser.text(of: "button[aria-pressed=true]"), "Unlinked outlet")
    }

    /// 10,000 open tickets: the inbox still draws 50, its first paint, the next page and a scroll through the page
    /// are measured (printed as `console-timing`, recorded in BENCHMARKS.md).
    func testTenThousandOpenTicketsStaySmooth() throws {
        try postMessages(count: 10_000, timeout: 300)
        try signedIn(as: "agent", at: "/console/inbox")
        try open("/console/inbox", page: "inbox")
        let timing = try recordTiming("inbox-10000-open")
        XCTAssertLessThan(timing.ready, 1_000, "the first page of 10,000 open tickets is drawn within a second")
        XCTAssertEqual(try rows(), 50)
        let started = Date()
        try browser.click("#older")
        try waitForPage("inbox")
        let nextPage = Date().timeIntervalSince(started) * 1000
        XCTAssertEqual(try rows(), 50)
        let frames = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            const gaps = [];
            let last = performance.now();
            let y = 0;
            function step(now) {
              gaps.push(now - last);
              last = now;
              y += 40;
              window.scrollTo(0, y);
              if (y < document.body.scrollHeight) requestAnimationFrame(step);
              else done([Math.max(...gaps), gaps.length]);
            }
            requestAnimationFrame(step);
            """).arrayValue ?? []
        let longest = frames.first?.doubleValue ?? -1
        print("console-timing page=inbox-10000-open next_page_ms=\(Int(nextPage)) "
              + "scroll_longest_frame_ms=\(Int(longest)) scroll_frames=\(frames.last?.int64Value ?? 0)")
        XCTAssertLessThan(longest, 100, "no long frame while scrolling a page")

        // The worst case of the SLA filter: no open ticket has breached, so the listing reads all 10,000 to say so.
        try open("/console/inbox?sla=breached", page: "inbox")
        let filtered = try recordTiming("inbox-10000-open-sla-breached")
        try browser.wait(for: "tbody td", containing: "No tickets match.")
        XCTAssertLessThan(filtered.ready, 1_000, "a filter matching none of 10,000 open tickets answers within a second")
    }

    private func rows() throws -> Int {
        Int(try browser.run("return document.querySelectorAll('tbody tr[data-ticket]').length").int64Value ?? -1)
    }

    /// One signed webhook per 40 customers, each writing for the first time (phones +6011 and eight digits).
    private func postMessages(count: Int, timeout: TimeInterval = 30) throws {
        for batch in stride(from: 0, to: count, by: 40) {
            var contacts: [JSONValue] = []
            var messages: [JSONValue] = []
            for index in batch..<min(batch + 40, count) {
                let phone = String(format: "6011%08d", index)
                contacts.append(["wa_id": .string(phone), "profile": ["name": .string("Customer \(index)")]])
                messages.append(["id": .string("wamid.page\(index)"), "from": .string(phone), "type": "text",
                                 "timestamp": .string(String(gateway.messageTimestamp)),
                                 "text": ["body": .string("Question \(index)")]])
            }
            let value: JSONValue = ["messaging_product": "whatsapp", "contacts": .array(contacts),
                                    "messages": .array(messages),
                                    "metadata": ["display_phone_number": "15550783881",
                                                 "phone_number_id": .string(WhatsAppFixtures.phoneNumberID)]]
            let body: JSONValue = ["object": "whatsapp_business_account", "entry": [[
                "id": .string(WhatsAppFixtures.wabaID), "changes": [["field": "messages", "value": value]]]]]
            XCTAssertEqual(try gateway.postWhatsApp(JSONWriter.bytes(body)).status, 200)
        }
        eventually("\(count) tickets opened", timeout: timeout) {
            try gateway.rows("SELECT count(*) AS n FROM tickets").first?["n"] == String(count)
        }
    }
}
