import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

extension BrowserTestCase {
    /// An agent's day, in whichever browser the class runs: a customer's WhatsApp message arrives in the inbox
    /// through the event stream without a reload (and quiet seconds cost no requests), the agent claims it, replies
    /// (the delivery tick moves), resolves it and sees the customer's rating arrive. `atInbox` runs once the ticket is
    /// in the inbox (timings, screenshots). The ticket's id.
    @discardableResult
    func agentWorksATicketThatArrivesLive(atInbox: () throws -> Void = {}) throws -> Int64 {
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
        try atInbox()

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
        return ticket
    }
}
