import Configuration
import Delivery
import Foundation
import GatewayTestSupport
import Messaging
import Retail
import Storage
import XCTest

/// A reminder whose template Meta paused is not queued: the attempt is `skipped_template` with Meta's word in its
/// detail, and the next reminder day goes out once Meta approves the template again.
final class RenewalTemplateSkipTests: XCTestCase {
    private func metaSays(_ status: String, at: Int64, in store: RenewalTestStore) throws {
        let update = InboundTemplateUpdate(accountID: "w", templateID: "77", name: "renewal_reminder_before",
                                           language: "en", status: status, reason: "LOW_QUALITY", timestamp: at)
        _ = try store.write { try WhatsAppTemplateStates.apply(update, at: at, now: at * 1000, in: $0) }
    }

    func testAPausedReminderTemplateSkipsTheReminderUntilMetaApprovesIt() throws {
        let store = try RenewalTestStore()
        try store.importCSV("""
            F1,Kopi Co,O1,Bangsar,+60123456789,2026-03-15,active,

            """, at: 0)
        try metaSays("PAUSED", at: 1_772_000_000, in: store)
        try store.run(at: TestGateway.millis("2026-03-01", "10:00"))
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456789 skipped_template"])
        XCTAssertEqual(try store.rows("SELECT detail FROM renewal_attempts").first?["detail"],
                       "template renewal_reminder_before (en) is PAUSED at Meta, reason LOW_QUALITY; "
                           + "it is sent again once Meta approves it")
        XCTAssertEqual(try store.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0", "no dead letter to be")

        try metaSays("APPROVED", at: 1_772_000_100, in: store)
        try store.run(at: TestGateway.millis("2026-03-08", "10:00"))
        XCTAssertEqual(try store.attempts(), ["O1 -14 60123456789 skipped_template", "O1 -7 60123456789 sent"])
    }

    /// A customer who stopped marketing messages in WhatsApp, as the identity store records it.
    private func stopsMarketing(_ phone: String, in store: RenewalTestStore) throws {
        try store.write { c in
            try c.run("""
                INSERT INTO customers (id, public_id, created_at, updated_at) VALUES (1, 'cus_stop', 0, 0);
                """)
            try c.run("INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES (1, 'phone', ?, 0)",
                      [.text(phone)])
            try c.run("""
                INSERT INTO customer_consents (customer_id, category, status, source, changed_at, updated_at)
                VALUES (1, 'marketing_messages', 'withdrawn', 'whatsapp', 1, 1)
                """)
        }
    }

    func testAMarketingStopStopsRemindersUnlessConfiguredOtherwise() throws {
        for respect in [true, false] {
            let store = try RenewalTestStore { $0.renewals.respectMarketingStop = respect }
            try store.importCSV("""
                F1,Kopi Co,O1,Bangsar,+60123456789,2026-03-15,active,

                """, at: 0)
            try stopsMarketing("60123456789", in: store)
            try store.run(at: TestGateway.millis("2026-03-01", "10:00"))
            XCTAssertEqual(try store.attempts(), ["O1 -14 60123456789 \(respect ? "skipped_opt_out" : "sent")"],
                           "respect_marketing_stop = \(respect)")
        }
    }
}
