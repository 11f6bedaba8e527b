import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The ticket page's desk tools in real Chromium: a customer's WhatsApp image previewed in the thread, a canned
/// reply inserted into the composer (its variables filled) and one sent as it is, a knowledge-base article found
/// and inserted, the ticket linked to an outlet, its history, and the customer's satisfaction rating.
final class TicketDeskBrowserTests: BrowserTestCase {
    func testAnAgentUsesCannedRepliesTheKnowledgeBaseMediaAndTheOutlet() throws {
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+601100000007"])
        for (path, body) in [
            ("/v1/canned-replies", #"{"name": "greeting", "language": "en", "text": "Hi {{contact.name}}, this is {{ticket.ref}}."}"#),
            ("/v1/canned-replies", #"{"name": "restart", "language": "en", "text": "Please restart the printer."}"#),
            ("/v1/kb/articles", #"{"title": "Reset the receipt printer", "body": "Hold the feed button for five seconds.", "tags": ["printer"]}"#),
            ("/v1/kb/articles", #"{"title": "Refund policy", "body": "Refunds take seven days."}"#),
        ] {
            let created = try gateway.admin("POST", path, body: body)
            XCTAssertEqual(created.status, 201, created.text)
        }
        try gateway.customerSays("My printer screen is broken", phone: "60123456789", name: "Aisyah")
        media["m.screen"] = CloudMedia(bytes: Self.crackedScreen, mimeType: "image/png")
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.photo", phone: "60123456789", bsuid: nil, name: "Aisyah", timestamp: gateway.messageTimestamp,
            type: "image", content: ["id": "m.screen", "mime_type": "image/png", "caption": "Cracked screen",
                                     "sha256": .string(media["m.screen"]?.sha256 ?? "")]))
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)

        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        // The image arrives once the gateway has downloaded it, served by the gateway itself.
        try browser.wait(for: "#thread .message.in img[alt=\"Cracked screen\"]", timeout: 15)
        XCTAssertEqual(try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            const image = document.querySelector('#thread img[alt="Cracked screen"]');
            const drawn = () => image.complete ? Promise.resolve() : new Promise((shown) => { image.onload = shown; image.onerror = shown; });
            drawn().then(() => fetch(image.src)).then((answer) => done([answer.status, answer.headers.get('Content-Type'),
                new URL(image.src).pathname, image.naturalWidth]));
            """).arrayValue, [200, "image/png", .string("/v1/media/\(try mediaMessageID())"), 160])
        try browser.wait(for: "#history li[data-action=opened]")

        // A canned reply inserted with its variables filled, edited and sent from the composer.
        try browser.wait(for: "#canned-list li", containing: "greeting")
        try browser.type("greet", into: "#canned-q")
        try browser.click("#canned-search button[type=submit]")
        try browser.wait(until: "return document.querySelectorAll('#canned-list li[data-reply]').length === 1",
                         "only the matching canned reply")
        try browser.click("#canned-list li[data-reply] button.insert")
        XCTAssertEqual(try value(of: "#reply-text"), "Hi Aisyah, this is T-\(ticket).")
        XCTAssertEqual(try browser.run("return document.activeElement.id").stringValue, "reply-text")

        // A knowledge-base article found by a word of its body and inserted after the greeting.
        try browser.wait(for: "#kb-list", containing: "Search the articles")
        try browser.type("feed button", into: "#kb-q")
        try browser.click("#kb-search button[type=submit]")
        try browser.wait(for: "#kb-list li[data-article]", containing: "Reset the receipt printer")
        XCTAssertEqual(try browser.findAll("#kb-list li[data-article]").count, 1)
        try browser.run("const reply = document.querySelector('#reply-text'); reply.selectionStart = reply.selectionEnd = reply.value.length")
        try browser.click("#kb-list li[data-article] button.insert")
        XCTAssertEqual(try value(of: "#reply-text"), "Hi Aisyah, this is T-\(ticket).Hold the feed button for five seconds.")
        try browser.click("#reply-form button[type=submit]")
        try browser.wait(for: "#thread .message.out", containing: "Hold the feed button for five seconds.")
        // After the two requests that fetched the photo, the reply went to the Cloud API.
        XCTAssertEqual(cloud.waitForRequests(3).filter { $0.method == "POST" }.map(\.text),
                       [CloudAPIBody.text("Hi Aisyah, this is T-\(ticket).Hold the feed button for five seconds.")])

        // A canned reply sent as it is, through the gateway.
        try browser.type("", into: "#canned-q")
        try browser.click("#canned-search button[type=submit]")
        try browser.click("#canned-list li[data-reply]", containing: "restart")
        try browser.click("#canned-list li[data-reply]:last-child button.send")
        try browser.wait(for: "#thread .message.out", containing: "Please restart the printer.")

        // The number is not the outlet's: the agent links it, and the history says so.
        try browser.wait(for: "#outlet-current[data-outlet-status=unlinked]", containing: "Not linked")
        try browser.type("O7", into: "#outlet-oid")
        try browser.click("#outlet-form button[type=submit]")
        try browser.wait(for: "#outlet-current[data-outlet-status=linked]", containing: "Kopi Co Bangsar")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["oid"]?.stringValue, "O7")
        try browser.wait(for: "#history li[data-action=outlet_linked]", containing: "agent@example.com")
        try browser.type("NOPE", into: "#outlet-oid")
        try browser.click("#outlet-form button[type=submit]")
        try browser.wait(for: "#conflict", containing: "oid")

        // Resolved, the survey goes out; the customer's rating appears on the page.
        try browser.wait(for: "#csat", containing: "no survey sent")
        try browser.click("#resolve")
        try browser.wait(for: "#csat", containing: "survey sent, no answer yet")
        try gateway.customerTaps("csat:T-\(ticket):4", title: "4")
        try browser.wait(for: "#csat[data-rating=\"4\"]", containing: "rated 4 of 5")
        try browser.wait(for: "#history li[data-action=csat_rated]")
        try open("/console/tickets/\(ticket)", page: "tickets")
        try recordTiming("ticket-desk")
        try browser.wait(for: "#thread img[alt=\"Cracked screen\"]")
        try capture("ticket-desk", ready: "tickets")
    }

    /// A 160×100 PNG: a blue screen with a white crack.
    private static let crackedScreen = Array(Data(base64Encoded: """
        iVBORw0KGgoAAAANSUhEUgAAAKAAAABkCAIAAACO1KzYAAABWklEQVR42u3RoRECARAEQcJBIImBwIiJ6FAoPPUUiNm+Gn1i+3S+XBXuZALAAizAAqy/\
        AN/uj8M93/fNEx3u58CYJ4AZ94EZ94ExTwAz7gMz7gMz7gNjngBm3Adm3AfGPAHMuA/MuA+MeQKYcR+YcR+YcR8Y8wQw4z4w4z4w5glgxn1gxn1gzBPA\
        jPvAjPvAjPvAmCeAGfeBGfeBMU8AM+4DM+4DjzOvAM8aDwFvGm8BDxrPAa8xjwLvGO8CjxhPAy8wA44bA44bA44zA44bA44bA44bA44zA44bA44bA44z\
        A44bA44bA44zA44bA44bA44bA44zA44bA44bA44zA44bA44bA44zA44bA44bA44bA44zA44bA44bA44zA44bA44bA44zA44bA44bA44bA44zA44bA44bA44z\
        A44bA44bA44zA44bA44bA44bfwSsUoABC7AAC7B+0AtmEjPuRKBiyAAAAABJRU5ErkJggg==
        """)!)

    /// A number two outlets share: the customer was offered both; the agent picks one of them on the page. A
    /// document the customer sent is a download link with its file name.
    func testTheAgentChoosesAnOfferedOutletAndOpensADocument() throws {
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+60123456789"])
        try gateway.pushOutlet("O8", name: "Kopi Co Damansara", phones: ["+60123456789"])
        try gateway.customerSays("My printer is broken", phone: "60123456789", name: "Aisyah")
        media["m.receipt"] = CloudMedia("%PDF-1.4 a receipt", mimeType: "application/pdf")
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.receipt", phone: "60123456789", bsuid: nil, name: "Aisyah", timestamp: gateway.messageTimestamp,
            type: "document", content: ["id": "m.receipt", "mime_type": "application/pdf", "filename": "receipt.pdf",
                                        "sha256": .string(media["m.receipt"]?.sha256 ?? "")]))
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)

        try signedIn(as: "agent", at: "/console/tickets/\(ticket)", page: "tickets")
        try browser.wait(for: "#thread a[download=\"receipt.pdf\"]", containing: "receipt.pdf", timeout: 15)
        try browser.wait(for: "#outlet-current[data-outlet-status=ambiguous]", containing: "several outlets")
        XCTAssertEqual(try browser.findAll("#outlet button.choose-outlet").count, 2)
        try browser.click("#outlet button.choose-outlet[data-oid=O8]")
        try browser.wait(for: "#outlet-current[data-outlet-status=linked]", containing: "Kopi Co Damansara")
        XCTAssertNil(try browser.find("#outlet button.choose-outlet"), "no choice once linked")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["oid"]?.stringValue, "O8")
        try browser.wait(for: "#history li[data-action=outlet_ambiguous]")
        try browser.wait(for: "#history li[data-action=outlet_linked]", containing: "O8")
    }

    private func value(of selector: String) throws -> String? {
        try browser.run("return document.querySelector('\(selector)').value").stringValue
    }

    private func mediaMessageID() throws -> Int64 {
        let row = try gateway.rows("SELECT id FROM ticket_messages WHERE wa_message_id = 'wamid.photo'").first
        return try XCTUnwrap(row?["id"].flatMap { Int64($0) })
    }
}
