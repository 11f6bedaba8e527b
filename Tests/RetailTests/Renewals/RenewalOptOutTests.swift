import Foundation
import GatewayTestSupport
import Retail
import Storage
import XCTest

/// STOP / BERHENTI and START / MULA applied directly (as the inbound-message step runs them): what they record, the
/// reminders they withdraw, the cycles they stop and reopen, and the reminder language they teach.
final class RenewalOptOutTests: XCTestCase {
    private let optOut = RenewalOptOut()

    func testKeywordsAreExactWordsInAnyCaseWithSpacesAround() {
        XCTAssertEqual(RenewalOptOut.keyword("STOP"), .optOut(language: "en"))
        XCTAssertEqual(RenewalOptOut.keyword("  berhenti \n"), .optOut(language: "ms"))
        XCTAssertEqual(RenewalOptOut.keyword("Start"), .optIn(language: "en"))
        XCTAssertEqual(RenewalOptOut.keyword("mula"), .optIn(language: "ms"))
        for text in ["STOP please", "stopp", "", "BER HENTI", nil] as [String?] {
            XCTAssertNil(RenewalOptOut.keyword(text), text ?? "nil")
        }
    }

    func testStopWithdrawsWaitingRemindersAndStopsCyclesWhoseEveryPhoneOptedOut() throws {
        let store = try RenewalTestStore()
        try store.importCSV("""
            F1,Kopi Co,O1,Bangsar,+60123456789;+60123456780,2026-03-15,active,
            F1,Kopi Co,O2,KLCC,+60123456789,2026-03-22,active,

            """, at: 0)
        // 03:00 in Kuala Lumpur: D-14 of O1 waits for 09:00.
        try store.run(at: TestGateway.millis("2026-03-01", "03:00"))
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456780 rescheduled", "O1 -14 60123456789 rescheduled"])
        let at = TestGateway.millis("2026-03-01", "04:00")
        XCTAssertTrue(try store.write { [optOut] in
            try optOut.handle(text: "Berhenti", phone: "+60 12-345 6789", contactID: "cus_1", at: at, in: $0)
        })
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456780 rescheduled", "O1 -14 60123456789 cancelled"])
        XCTAssertEqual(try store.rows("""
            SELECT m.status, m.error_title, m.error_detail, (SELECT count(*) FROM outbox o WHERE o.idempotency_key = m.outbox_key) AS queued
            FROM whatsapp_outbound_messages m WHERE m.recipient = '60123456789'
            """), [["status": "failed", "error_title": "withdrawn", "error_detail": "opted out", "queued": "0"]])
        XCTAssertEqual(try store.rows("SELECT phone, contact_id, keyword, language, opted_out_at FROM renewal_opt_outs"), [
            ["phone": "60123456789", "contact_id": "cus_1", "keyword": "Berhenti", "language": "ms",
             "opted_out_at": String(at)],
        ])
        XCTAssertEqual(try store.cycles(), ["O1 open", "O2 opted_out opted_out"], "O1 still has a phone to remind")

        // O1's D-7: the other phone only. O2's D-14 was never sent: its cycle is stopped.
        try store.run(at: TestGateway.millis("2026-03-08", "10:00"))
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456780 rescheduled", "O1 -14 60123456789 cancelled",
                                              "O1 -7 60123456780 sent", "O1 -7 60123456789 skipped_opt_out"])

        let back = TestGateway.millis("2026-03-09", "10:00")
        XCTAssertTrue(try store.write { [optOut] in
            try optOut.handle(text: "MULA", phone: "60123456789", contactID: nil, at: back, in: $0)
        })
        XCTAssertEqual(try store.cycles(), ["O1 open", "O2 open"])
        XCTAssertEqual(try store.rows("SELECT keyword, language, opted_out_at, opted_in_at FROM renewal_opt_outs"),
                       [["keyword": "MULA", "language": "ms", "opted_in_at": String(back)]])
        XCTAssertFalse(try store.write { [optOut] in
            try optOut.handle(text: "START", phone: "60123456789", contactID: nil, at: back, in: $0)
        }, "not opted out: nothing to do, the message is left to the other steps")
        XCTAssertFalse(try store.write { [optOut] in
            try optOut.handle(text: "hello", phone: "60123456789", contactID: nil, at: back, in: $0)
        })

        // O1's D-1 goes to the phone again, in the language of its keyword (ms); the other keeps the default.
        try store.run(at: TestGateway.millis("2026-03-14", "10:00"))
        XCTAssertEqual(try store.rows("""
            SELECT recipient, language FROM whatsapp_outbound_messages WHERE reference IN
                (SELECT CAST(a.id AS TEXT) FROM renewal_attempts a WHERE a.offset_days = -1) ORDER BY recipient
            """), [["recipient": "60123456780", "language": "en"], ["recipient": "60123456789", "language": "ms"]])
    }

    func testASenderKnownOnlyByBSUIDOptsOutTheCustomersPhones() throws {
        let store = try RenewalTestStore()
        try store.write { connection in
            try connection.run("INSERT INTO customers (id, public_id, created_at, updated_at) VALUES (7, 'cus_7', 0, 0)")
            try connection.run("""
                INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES (7, 'phone', '60111000001', 0),
                    (7, 'phone', '60111000002', 0), (7, 'email', 'a@example.com', 0)
                """)
        }
        XCTAssertTrue(try store.write { [optOut] in
            try optOut.handle(text: "STOP", phone: nil, contactID: "cus_7", at: 5, in: $0)
        })
        XCTAssertEqual(try store.rows("SELECT phone, language FROM renewal_opt_outs ORDER BY phone"),
                       [["phone": "60111000001", "language": "en"], ["phone": "60111000002", "language": "en"]])
        XCTAssertFalse(try store.write { [optOut] in
            try optOut.handle(text: "STOP", phone: nil, contactID: "cus_unknown", at: 5, in: $0)
        }, "no phone to record")
    }
}
