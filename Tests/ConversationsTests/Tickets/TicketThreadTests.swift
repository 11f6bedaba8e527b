import Configuration
import Conversations
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// The ticket thread shows what happened in the chat: a reaction on the message it reacts to (changed or taken back
/// by a later one), a forwarded mark, and the ad a customer came from — which is also the contact's acquisition source.
final class TicketThreadTests: WhatsAppGatewayTestCase {
    private let phone = "60123456789"

    private func react(_ emoji: String, to wamid: String, id: String) throws {
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: id, phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp, type: "reaction",
            content: ["message_id": .string(wamid), "emoji": .string(emoji)]))
    }

    private func reactions(_ ticket: Int64, on wamid: String) throws -> [String] {
        let message = try gateway.ticketList(ticket, "messages").first { $0["wa_message_id"]?.stringValue == wamid }
        return message?["reactions"]?.arrayValue?.compactMap { $0["emoji"]?.stringValue } ?? ["(no message)"]
    }

    func testAReactionShowsOnTheMessageItReactsToUntilItIsChangedOrTakenBack() throws {
        let id = try gateway.openTicket("My printer is not working")
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "Restart it, please."}"#).status, 202)
        eventually("the reply is accepted as wamid.M0") {
            try self.gateway.ticketList(id, "messages").last?["wa_message_id"] == "wamid.M0"
        }
        XCTAssertEqual(try reactions(id, on: "wamid.M0"), [])

        try react("👍", to: "wamid.M0", id: "wamid.R1")
        XCTAssertEqual(try reactions(id, on: "wamid.M0"), ["👍"])
        try react("❤️", to: "wamid.M0", id: "wamid.R2")
        XCTAssertEqual(try reactions(id, on: "wamid.M0"), ["❤️"], "a later reaction replaces the earlier one")
        try react("", to: "wamid.M0", id: "wamid.R3")
        XCTAssertEqual(try reactions(id, on: "wamid.M0"), [], "an empty reaction takes it back")
        XCTAssertEqual(try gateway.ticketList(id, "messages").filter { $0["type"] == "reaction" }.count, 3,
                       "each reaction stays in the thread's history")

        // A swipe-reply to the agent's message links to it on the thread.
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.Q1", phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp, type: "text",
            content: ["body": "Done, it works"], extra: ["context": ["from": "15550783881", "id": "wamid.M0"]]))
        let thread = try gateway.ticketList(id, "messages")
        let agentReply = try XCTUnwrap(thread.first { $0["wa_message_id"] == "wamid.M0" })
        let answer = try XCTUnwrap(thread.first { $0["wa_message_id"] == "wamid.Q1" })
        XCTAssertEqual(answer["context_ticket_message_id"], agentReply["id"])
        XCTAssertEqual(agentReply["context_ticket_message_id"], .null)
    }

    func testTheAdACustomerCameFromIsOnTheMessageAndIsTheContactsAcquisitionSource() throws {
        let referral: JSONValue = ["source_url": "https://fb.me/pos-promo", "source_id": "120210000000001",
                                   "source_type": "ad", "headline": "POS for your kedai", "body": "Try 30 days free",
                                   "media_type": "image", "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd"]
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.AD1", phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp, type: "text",
            content: ["body": "Is the promo still on?"], extra: ["referral": referral]))
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.FW1", phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp + 5, type: "text",
            content: ["body": "My friend sent this"],
            extra: ["context": ["forwarded": true], "referral": ["source_id": "OTHER", "source_type": "post"]]))

        let ticket = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        let messages = try gateway.ticketList(ticket, "messages")
        XCTAssertEqual(messages.first?["content"]?["referral"]?["headline"], "POS for your kedai")
        XCTAssertEqual(messages.first?["content"]?["referral"]?["click_id"],
                       "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd")
        XCTAssertEqual(messages.last?["content"]?["forwarded"], "forwarded")

        let contact = try XCTUnwrap(gateway.contacts("GET", "/v1/contacts?phone=%2B\(phone)").json)
        XCTAssertEqual(contact["acquisition"]?["source_id"], "120210000000001", "the first ad wins")
        XCTAssertEqual(contact["acquisition"]?["source_type"], "ad")
        XCTAssertEqual(contact["acquisition"]?["message_id"], "wamid.AD1")
        XCTAssertEqual(try gateway.count("identity_audit", "action = 'acquisition.recorded'"), 1)
    }

    func testAnEditReplacesTheWordsKeepingTheEarlierOnesAndADeletionRemovesThem() throws {
        let first = try gateway.customerSays("Printer model is TM-T20", id: "wamid.ORIG")
        let ticket = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.EDIT", phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp + 60, type: "edit",
            content: ["original_message_id": .string(first),
                      "message": ["type": "text", "text": ["body": "Printer model is TM-T82"]]]))
        var thread = try gateway.ticketList(ticket, "messages")
        XCTAssertEqual(thread.count, 1, "an edit is not a message of its own")
        XCTAssertEqual(thread.first?["text"], "Printer model is TM-T82")
        XCTAssertEqual(thread.first?["content"]?["edits"]?.at(0)?["text"], "Printer model is TM-T20")

        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: "wamid.DEL", phone: phone, bsuid: nil, timestamp: gateway.messageTimestamp + 120, type: "revoke",
            content: ["original_message_id": .string(first)]))
        thread = try gateway.ticketList(ticket, "messages")
        XCTAssertEqual(thread.count, 1)
        XCTAssertEqual(thread.first?["text"], .null, "a deleted message's words leave the thread")
        XCTAssertNotNil(thread.first?["content"]?["deleted_at"]?.stringValue)
        XCTAssertNil(thread.first?["content"]?["edits"], "nor do its earlier words")
        let history = try gateway.rows("SELECT detail FROM ticket_history WHERE action = 'message_deleted'")
        XCTAssertEqual(history.count, 1)
        XCTAssertFalse(history.first?["detail"]?.contains("TM-T") ?? true, "the history does not keep the words")
        XCTAssertEqual(try gateway.rows("SELECT text FROM ticket_message_deletions"), [["text": "Printer model is TM-T82"]],
                       "they are kept apart for the audit")
        // Once the retention has passed, they are gone.
        let retention = Int64(gateway.app.config.tickets.deletedMessageRetentionMilliseconds)
        XCTAssertEqual(try TicketMessageDeletions.purge(store: gateway.app.store, retentionMilliseconds: retention,
                                                        now: (gateway.messageTimestamp + 120) * 1000 + retention), 0,
                       "not before")
        XCTAssertEqual(try TicketMessageDeletions.purge(store: gateway.app.store, retentionMilliseconds: retention,
                                                        now: (gateway.messageTimestamp + 121) * 1000 + retention), 1)
        XCTAssertEqual(try gateway.count("ticket_message_deletions"), 0)
        XCTAssertEqual(try gateway.count("inbox_items", "status = 'failed'"), 0)
    }
}
