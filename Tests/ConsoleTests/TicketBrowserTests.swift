import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// An agent's day in the console, in real Chromium: a customer's WhatsApp message arrives in the inbox without a
/// reload, the agent claims it, replies (and sees the delivery tick move), resolves it and sees the customer's rating;
/// and a change someone else made meanwhile is shown to the agent instead of being overwritten.
final class TicketBrowserTests: BrowserTestCase {
    func testATicketArrivesLiveAndTheAgentClaimsRepliesAndResolves() throws {
        try gateway.user(email: "agent@example.com", password: Self.password, role: "agent")
        try open("/console/login?next=%2Fconsole%2Finbox")
        try signIn("agent@example.com")
        try waitForPage("inbox")
        try browser.wait(for: "tbody td", containing: "No tickets match.")
        try browser.run("window.stillTheSamePage = true")

        try gateway.customerSays("My printer is broken", phone: "60123456789", name: "Aisyah")
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        try browser.wait(for: "tr[data-ticket=\"\(ticket)\"]", containing: "T-\(ticket)")
        XCTAssertEqual(try browser.run("return window.stillTheSamePage === true").boolValue, true,
                       "the ticket arrived without a reload")
        // It came through the event stream: the page holds one open, and quiet seconds cost no requests.
        XCTAssertTrue(try gateway.request("GET", "/metrics").text.contains("gateway_event_streams 1"))
        let listLoads = "return performance.getEntriesByType('resource')"
            + ".filter((entry) => entry.name.includes('/v1/tickets?')).length"
        let loadsBefore = try browser.run(listLoads).doubleValue
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try browser.run(listLoads).doubleValue, loadsBefore, "no polling while the stream is up")
        try open("/console/inbox", page: "inbox")
        try recordTiming("inbox")
        try capture("inbox", ready: "inbox")

        try browser.click("tr[data-ticket=\"\(ticket)\"] a")
        try waitForPage("tickets")
        try browser.wait(for: "#thread .message.in", containing: "My printer is broken")
        try browser.wait(for: "#window [data-window=open]")
        try browser.click("#claim", containing: "Claim")
        try browser.wait(for: "#ticket-summary", containing: "Being handled by agent@example.com")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["claimed_by"]?.stringValue,
                       "agent@example.com")

        try browser.type("We are sending a technician today.", into: "#reply-text")
        try browser.click("#reply-form button[type=submit]")
        try browser.wait(for: "#thread .message.out", containing: "We are sending a technician today.")
        XCTAssertEqual(cloud.waitForRequests(1).count, 1, "the reply went to the Cloud API")
        try browser.wait(for: "#thread .message.out [data-delivery=accepted]")
        // WhatsApp reports the reply delivered: the tick moves without a reload.
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: gateway.messageTimestamp)])
        try browser.wait(for: "#thread .message.out [data-delivery=delivered]", containing: "Delivered")

        try browser.click("#resolve")
        try browser.wait(for: "#ticket-summary", containing: "Resolved")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["status"]?.stringValue, "resolved")
        // Resolving sent the satisfaction survey; the customer's rating arrives on the open page.
        try browser.wait(for: "#thread li:last-child", containing: "How satisfied are you")
        try gateway.customerTaps("csat:T-\(ticket):5", title: "5")
        try browser.wait(until: """
            const last = [...document.querySelectorAll('#thread .message.in')].pop();
            return last !== undefined && last.firstChild.textContent === '5';
            """, "the CSAT rating shown")
        XCTAssertEqual(try gateway.csatResponses().first?["rating"], "5")
        try open("/console/tickets/\(ticket)", page: "tickets")
        try recordTiming("ticket")
        try capture("ticket", ready: "tickets")
    }

    /// A day after the customer's last message WhatsApp delivers only templates: the composer offers them, filled in.
    func testOutsideTheWindowTheComposerSendsATemplate() throws {
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.yesterday", phone: "60123456789", bsuid: nil, name: "Aisyah",
            timestamp: gateway.messageTimestamp - 25 * 3600, text: "Any update on my refund?"))
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        try browser.wait(for: "#window [data-window=closed]", containing: "only templates")
        XCTAssertNil(try browser.find("#reply-form"), "no free text outside the window")
        try browser.wait(for: "#template-name option[value=support_followup]")
        try browser.wait(for: "#template-preview", containing: "we have an update on your ticket")
        XCTAssertEqual(try browser.run("return document.querySelector('#template-parameter-1').value").stringValue,
                       "T-\(ticket)")
        try browser.click("#template-form button[type=submit]")
        try browser.wait(for: "#thread li:last-child", containing: "Hi Aisyah, we have an update on your ticket T-\(ticket)")
        XCTAssertEqual(cloud.waitForRequests(1).first?.text, CloudAPIBody.followUp(name: "Aisyah", ref: "T-\(ticket)"))
    }

    func testAChangeSomeoneElseMadeMeanwhileIsShownNotOverwritten() throws {
        try gateway.customerSays("Receipt printer offline")
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        try browser.type("Asked the outlet to restart the printer", into: "#note-text")
        // While the agent writes, a colleague adds a note: the ticket's version moves on.
        let other = try gateway.admin("POST", "/v1/tickets/\(ticket)/notes",
                                      body: #"{"actor": "supervisor", "text": "Customer called again"}"#)
        XCTAssertEqual(other.status, 201, other.text)
        try browser.click("#note-form button[type=submit]")
        try browser.wait(for: "#conflict.stale", containing: "Someone else changed this ticket")
        try browser.wait(for: "#notes", containing: "Customer called again")
        let notes = try gateway.admin("GET", "/v1/tickets/\(ticket)/notes").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(notes.count, 1, "the stale note was not written")
        // The draft is kept; sent again against what the agent now sees, it is saved.
        try browser.click("#note-form button[type=submit]")
        try browser.wait(for: "#notes", containing: "Asked the outlet to restart the printer")
        try capture("ticket-conflict", ready: "tickets")
    }
}
