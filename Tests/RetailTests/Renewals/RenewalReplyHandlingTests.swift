import Configuration
import Delivery
import Foundation
import GatewayTestSupport
import Messaging
import Retail
import XCTest

/// RENEW / PERBAHARUI applied directly (as the inbound step runs them): which messages are replies, the reminders a
/// reply withdraws, and when the acknowledgement cannot go.
final class RenewalReplyHandlingTests: XCTestCase {
    private func reply(_ store: RenewalTestStore) throws -> RenewalReply {
        let texts = try WhatsAppTextCatalog.load(
            directory: (TestGateway.templatesDirectory as NSString).appendingPathComponent(WhatsAppTextCatalog.folder),
            sets: [RenewalReply.acknowledgement], defaultLanguage: "en")
        return RenewalReply(settings: store.config.renewals, sender: store.sender, texts: texts)
    }

    private func message(_ text: String, phone: String? = "60123456789", bsuid: String? = nil,
                         sentAt: Int64) -> InboundMessage {
        InboundMessage(id: "wamid.\(UUID().uuidString)", channelID: "1", accountID: "1", senderPhone: phone,
                       senderUserID: bsuid, timestamp: sentAt / 1000, type: .text, text: text)
    }

    func testKeywordsAreWholeMessagesInAnyCaseWithSpacesAround() throws {
        let reply = try reply(RenewalTestStore())
        for text in ["RENEW", " renew\n", "Perbaharui", "PERBAHARUI "] {
            XCTAssertTrue(reply.isKeyword(text), text)
        }
        for text in ["renew please", "RENEWAL", "STOP", "", "   ", nil] as [String?] {
            XCTAssertFalse(reply.isKeyword(text), text ?? "nil")
        }
    }

    func testAReplyWithdrawsTheWaitingReminderAndTheAcknowledgementNeedsTheWindow() throws {
        let store = try RenewalTestStore()
        try store.importCSV("""
            F1,Kopi Co,O1,Bangsar,+60123456789,2026-03-15,active,
            F1,Kopi Co,O2,KLCC,+60123456780,2026-03-15,active,

            """, at: 0)
        // 03:00 in Kuala Lumpur: the D-14 reminders wait for 09:00.
        try store.run(at: TestGateway.millis("2026-03-01", "03:00"))
        let reply = try reply(store)
        let at = TestGateway.millis("2026-03-01", "04:00")
        let outcome = try store.write { [message = message("RENEW", sentAt: at)] in
            try reply.handle(message, contactID: nil, now: at, in: $0)
        }
        XCTAssertEqual(outcome?.acknowledgement, .sent)
        XCTAssertEqual(try store.cycles(), ["O1 customer_replied", "O2 open"])
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456789 cancelled", "O2 -14 60123456780 rescheduled"])
        let reference = try XCTUnwrap(outcome?.renewalIDs.first.map(String.init))
        XCTAssertEqual(try store.rows("""
            SELECT recipient, content_kind, reference FROM whatsapp_outbound_messages WHERE purpose = 'renewal_reply'
            """), [["recipient": "60123456789", "content_kind": "text", "reference": reference]])

        // A reply read more than 24 hours after it was written is still a reply, but free text may not go.
        let late = TestGateway.millis("2026-03-03", "10:00")
        let stale = try store.write { [message = message("renew", phone: "60123456780", sentAt: at)] in
            try reply.handle(message, contactID: nil, now: late, in: $0)
        }
        XCTAssertEqual(stale?.acknowledgement, .windowClosed)
        XCTAssertEqual(try store.cycles(), ["O1 customer_replied", "O2 customer_replied"])
        XCTAssertEqual(try store.rows("""
            SELECT id FROM whatsapp_outbound_messages WHERE purpose = 'renewal_reply'
            """).count, 1)

        // No open cycle left: not a reply.
        XCTAssertNil(try store.write { [message = message("RENEW", sentAt: late)] in
            try reply.handle(message, contactID: nil, now: late, in: $0)
        })
    }
}
