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
        let ticket = try agentWorksATicketThatArrivesLive(atInbox: {
            try open("/console/inbox", page: "inbox")
            try recordTiming("inbox")
            try capture("inbox", ready: "inbox")
        })
        try open("/console/tickets/\(ticket)", page: "tickets")
        try recordTiming("ticket")
        try capture("ticket", ready: "tickets")
    }

    func testTheAgentRecordsAndClearsTheOutcome() throws {
        try gateway.customerSays("I want to buy two terminals", phone: "60123456789", name: "Aisyah")
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        try browser.type("sold: 2 terminals", into: "#outcome-text")
        try browser.click("#save-outcome")
        eventually("the outcome saved") {
            try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["outcome"]?.stringValue == "sold: 2 terminals"
        }
        try open("/console/tickets/\(ticket)", page: "tickets")
        XCTAssertEqual(try browser.run("return document.getElementById('outcome-text').value").stringValue,
                       "sold: 2 terminals")
        try browser.type("", into: "#outcome-text")
        try browser.click("#save-outcome")
        eventually("the outcome cleared") { try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["outcome"] == .null }
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
