import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// Each inbound WhatsApp message lands on the contact's ticket, or opens one; duplicates never
/// attach twice.
final class ConversationTicketTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway.tickets() }
    override func tearDown() { gateway = nil }

    func testFirstMessageOpensAClassifiedTicketWithItsSLAClocks() throws {
        let messageID = try gateway.customerSays("My printer is not working")
        let ticket = try gateway.onlyTicket()
        let id = try XCTUnwrap(ticket["id"]?.int64Value)
        XCTAssertEqual(ticket["status"], "open")
        XCTAssertEqual(ticket["channel"], "whatsapp")
        XCTAssertEqual(ticket["kind"], "support")
        XCTAssertEqual(ticket["queue"], "support")
        XCTAssertEqual(ticket["source"], "whatsapp")
        XCTAssertEqual(ticket["origin"], "whatsapp")
        XCTAssertEqual(ticket["name"], "WhatsApp: Aisyah")
        XCTAssertEqual(ticket["reopen_count"], 0)
        XCTAssertEqual(ticket["sla_status"], "on_track")
        XCTAssertEqual(ticket["fid"], .null)
        XCTAssertEqual(ticket["oid"], .null)
        let now = gateway.clock.now
        XCTAssertEqual(ticket["first_response_due_at"]?.stringValue, Timestamps.rfc3339(now + 5 * 60_000))
        XCTAssertEqual(ticket["resolution_due_at"]?.stringValue, Timestamps.rfc3339(now + 24 * 3_600_000))
        XCTAssertEqual(ticket["last_customer_message_at"]?.stringValue,
                       Timestamps.rfc3339(gateway.messageTimestamp * 1000))

        let contact = try XCTUnwrap(ticket["contact_id"]?.stringValue)
        XCTAssertEqual(try gateway.contacts("GET", "/v1/contacts?phone=%2B60123456789").json?["id"]?.stringValue,
                       contact, "the ticket belongs to the resolved customer")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").json, ticket, "GET shows the same fields")

        let messages = try gateway.ticketList(id, "messages")
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?["wa_message_id"]?.stringValue, messageID)
        XCTAssertEqual(messages.first?["direction"], "in")
        XCTAssertEqual(messages.first?["type"], "text")
        XCTAssertEqual(messages.first?["text"], "My printer is not working")
        XCTAssertEqual(messages.first?["sender"]?.stringValue, contact)
        let opened = try XCTUnwrap(gateway.ticketList(id, "history").first)
        XCTAssertEqual(opened["action"], "opened")
        XCTAssertEqual(opened["actor"]?.stringValue, "customer:\(contact)")
        XCTAssertEqual(opened["detail"]?["matched"], ["not working", "printer"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_tickets_opened_total",
                                                   [("kind", "support"), ("queue", "support")]), 1)
    }

    func testLaterMessagesAttachToTheOpenTicket() throws {
        try gateway.customerSays("hello")
        try gateway.customerSays("are you there?")
        try gateway.customerSays("hi", phone: "60199999999", name: "Other")
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(tickets.count, 2, "one ticket per customer")
        let first = try XCTUnwrap(tickets.last?["id"]?.int64Value)
        XCTAssertEqual(try gateway.ticketList(first, "messages").compactMap { $0["text"]?.stringValue },
                       ["hello", "are you there?"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_messages_total", [("outcome", "attached")]), 1)
    }

    func testDuplicateDeliveryAndReplayedItemsAttachOnce() throws {
        let body = WhatsAppBodyBuilder.message(id: "wamid.DUP-1", phone: "60123456789", bsuid: nil, name: "A",
                                               timestamp: gateway.messageTimestamp, text: "once")
        try gateway.customerSends(body)
        try gateway.customerSends(body)
        let id = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        XCTAssertEqual(try gateway.ticketList(id, "messages").count, 1)

        // Re-run the applier over the same item, as a crash between apply and commit bookkeeping would.
        let store = gateway.app.store
        try store.database.write { c in
            try c.run("UPDATE inbox_items SET status = 'pending' WHERE kind = 'message'")
        }
        gateway.app.inboundApplier.drainOnce()
        XCTAssertEqual(try gateway.count("inbox_items", "kind = 'message' AND status = 'pending'"), 0)
        XCTAssertEqual(try gateway.ticketList(id, "messages").count, 1, "the message is attached once")
        XCTAssertEqual(try gateway.conversationTickets().count, 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_messages_total", [("outcome", "duplicate")]), 1)
    }

    func testMediaMessageKeepsItsMediaReference() throws {
        let sha = "f3a9c1d2e0b47c5a8e6d9b1f2c3a4e5d6f7081920a1b2c3d4e5f60718293a4b5"
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.IMG-1", phone: "60123456789", bsuid: nil, timestamp: gateway.messageTimestamp, type: "image",
            content: ["id": "1479537139650973", "mime_type": "image/jpeg", "sha256": .string(sha),
                      "caption": "receipt photo"]))
        let id = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        let message = try XCTUnwrap(gateway.ticketList(id, "messages").first)
        XCTAssertEqual(message["type"], "image")
        XCTAssertEqual(message["text"], "receipt photo", "a caption is the message's words")
        XCTAssertEqual(message["media"]?["id"], "1479537139650973")
        XCTAssertEqual(message["media"]?["mime_type"], "image/jpeg")
        XCTAssertEqual(message["media"]?["sha256"]?.stringValue, sha)
        XCTAssertEqual(message["media"]?["caption"], "receipt photo")
    }

    func testCustomerMessageMovesAPendingTicketBackToOpen() throws {
        let id = try gateway.openTicket()
        XCTAssertEqual(try gateway.ticketAction(id, "status", #"{"status":"pending","actor":"agent-1"}"#).status, 200)
        try gateway.customerSays("here is the info you asked for")
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["status"], "open")
        XCTAssertEqual(ticket["reopen_count"], 0, "pending → open is not a reopen")
        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(JSONValue.array(history).actions, ["opened", "status_changed", "status_changed"])
        XCTAssertEqual(history.last?["from"], "pending")
        XCTAssertEqual(history.last?["to"], "open")
        XCTAssertEqual(history.last?["actor"]?.stringValue?.hasPrefix("customer:cus_"), true)
    }

    func testResolvedTicketReopensWithinTheWindowAndANewOneOpensAfterIt() throws {
        let first = try gateway.openTicket()
        try gateway.ticketAction(first, "status", #"{"status":"resolved","outcome":"answered","actor":"agent-1"}"#)
        gateway.advance(minutes: 60)
        try gateway.customerSays("it broke again")
        var ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["status"], "open")
        XCTAssertEqual(ticket["reopen_count"], 1)
        XCTAssertEqual(ticket["resolved_at"], .null)
        XCTAssertEqual(ticket["reopened_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        XCTAssertEqual(ticket["resolution_due_at"]?.stringValue,
                       Timestamps.rfc3339(gateway.clock.now + 24 * 3_600_000), "a new resolution clock")
        XCTAssertEqual(try gateway.ticketList(first, "history").last?["action"], "reopened")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_tickets_reopened_total",
                                                   [("kind", "support"), ("queue", "support")]), 1)

        try gateway.ticketAction(first, "status", #"{"status":"resolved","actor":"agent-1"}"#)
        gateway.advance(minutes: 7 * 24 * 60 + 1)
        try gateway.customerSays("new question")
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(tickets.count, 2, "after the reopen window a new ticket opens")
        ticket = try XCTUnwrap(tickets.first)
        XCTAssertEqual(ticket["reopen_count"], 0)
        XCTAssertEqual(tickets.last?["status"], "resolved")
    }

    func testClosedTicketIsNeverReopenedByTheCustomer() throws {
        let first = try gateway.openTicket()
        try gateway.ticketAction(first, "status", #"{"status":"closed","actor":"agent-1"}"#)
        try gateway.customerSays("one more thing")
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(tickets.map { $0["status"] }, ["open", "closed"])
        XCTAssertEqual(try gateway.ticketList(first, "messages").count, 1)
    }

    func testLeadClassificationInEnglishAndMalay() throws {
        try gateway.customerSays("Hi, how much is the premium plan? I'm interested", phone: "60111111111")
        try gateway.customerSays("Berapa harga pakej POS untuk kedai baru?", phone: "60122222222")
        try gateway.customerSays("Mesin saya rosak, tidak boleh cetak resit", phone: "60133333333")
        let tickets = try gateway.conversationTickets().reversed().map { ($0["kind"], $0["queue"]) }
        XCTAssertEqual(tickets.map(\.0), ["lead", "lead", "support"])
        XCTAssertEqual(tickets.map(\.1), ["sales", "sales", "support"])
        XCTAssertEqual(try gateway.conversationTickets("queue=sales").count, 2)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_tickets_opened_total",
                                                   [("kind", "lead"), ("queue", "sales")]), 2)
    }

    func testOnlyTheFirstMessageClassifies() throws {
        try gateway.customerSays("my screen is broken")
        try gateway.customerSays("also, what is the price of the new plan?")
        XCTAssertEqual(try gateway.onlyTicket()["kind"], "support")
    }

    func testSenderWithoutACustomerStillGetsATicket() throws {
        // Multi-BSUID is off: a BSUID-only sender resolves to no customer, but the message is not lost.
        try gateway.customerSays("hello", phone: nil, bsuid: "US.13491208655302741918", name: nil)
        try gateway.customerSays("still there?", phone: nil, bsuid: "US.13491208655302741918", name: nil)
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["contact_id"], .null)
        XCTAssertEqual(ticket["name"], "WhatsApp: US.13491208655302741918")
        let id = try XCTUnwrap(ticket["id"]?.int64Value)
        XCTAssertEqual(try gateway.ticketList(id, "messages").compactMap { $0["sender"]?.stringValue },
                       ["bsuid:US.13491208655302741918", "bsuid:US.13491208655302741918"])
        XCTAssertEqual(try gateway.count("inbox_items", "kind = 'message' AND status = 'applied'"), 2)
    }

    func testReactionsNeverOpenATicket() throws {
        let reaction: JSONValue = ["message_id": "wamid.SOMETHING", "emoji": "👍"]
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.R-1", phone: "60123456789", bsuid: nil, timestamp: gateway.messageTimestamp,
            type: "reaction", content: reaction))
        XCTAssertEqual(try gateway.conversationTickets().count, 0)
        let id = try gateway.openTicket()
        try gateway.ticketAction(id, "status", #"{"status":"resolved","actor":"agent-1"}"#)
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.R-2", phone: "60123456789", bsuid: nil, timestamp: gateway.messageTimestamp,
            type: "reaction", content: reaction))
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["status"], "resolved", "a thumbs-up does not reopen")
        XCTAssertEqual(try gateway.ticketList(id, "messages").map { $0["type"] }, ["text", "reaction"])
    }

    func testAMessageMetaCouldNotDeliverIsOnTheThreadWithMetasErrorNotAFailedItem() throws {
        // Meta sends `errors[]` instead of the content when it cannot deliver what the customer sent.
        try gateway.customerSends(Array(WhatsAppFixtures.envelope(messages: #"""
            [{"from": "60123456789", "id": "wamid.UNDELIVERABLE", "timestamp": "\#(gateway.messageTimestamp)",
              "type": "interactive",
              "errors": [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
                          "error_data": {"details": "Message type is currently not supported."}}]}]
            """#).utf8))
        XCTAssertEqual(try gateway.count("inbox_items", "status = 'failed'"), 0)
        let id = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        let message = try XCTUnwrap(gateway.ticketList(id, "messages").first)
        XCTAssertEqual(message["wa_message_id"], "wamid.UNDELIVERABLE")
        XCTAssertEqual(message["type"], "interactive")
        XCTAssertNil(message["text"]?.stringValue)
        XCTAssertEqual(message["content"]?["errors"], [["code": 131_051, "title": "Message type unknown",
                                                        "message": "Message type unknown",
                                                        "details": "Message type is currently not supported."]])
    }

    func testAMessageTheTicketStepCannotFileFailsAlone() throws {
        // A sender with neither phone nor BSUID cannot be normalized from a real webhook; written straight into the
        // inbox it shows that a failing ticket step rolls back that item alone and records why.
        func payload(_ id: String, from phone: String?) -> String {
            JSONWriter.string(InboundEvent.message(InboundMessage(
                id: id, channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID,
                senderPhone: phone, timestamp: gateway.messageTimestamp, type: .text, text: "hi")).toJSON())
        }
        gateway.app.inboundApplier.stop()
        let store = gateway.app.store
        let items = [("wamid.NOBODY", payload("wamid.NOBODY", from: nil)),
                     ("wamid.OK", payload("wamid.OK", from: "60123456789"))]
        try store.database.write { c in
            try c.run("""
                INSERT INTO inbox (id, public_id, source, dedupe_key, received_at, body, response_status, response_body)
                VALUES (900, 'poison', 'whatsapp', 'poison', 0, ?, 200, ?)
                """, [.blob([]), .blob([])])
            for (id, json) in items {
                try c.run("""
                    INSERT INTO inbox_items (inbox_id, kind, dedupe_key, payload, status, created_at)
                    VALUES (900, 'message', ?, ?, 'pending', 0)
                    """, [.text(id), .text(json)])
            }
        }
        gateway.app.inboundApplier.drainOnce()
        let rows = try gateway.rows("SELECT dedupe_key, status, error FROM inbox_items WHERE inbox_id = 900 ORDER BY id")
        XCTAssertEqual(rows.map { $0["status"] }, ["failed", "applied"])
        XCTAssertEqual(rows.first?["error"], "message wamid.NOBODY names no sender (neither phone nor BSUID)")
        XCTAssertEqual(try gateway.count("ticket_messages"), 1)
        XCTAssertEqual(try gateway.count("ticket_history", "detail LIKE '%wamid.NOBODY%'"), 0, "nothing of it is left")
    }
}
