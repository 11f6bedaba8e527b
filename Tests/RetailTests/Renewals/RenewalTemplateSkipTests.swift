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
}
