import Foundation
import GatewayTestSupport
import Retail
import XCTest

/// Renewal cycles following POS changes written by imports (the same observer serves pulls and pushes): a later
/// expiry date renews, an earlier one supersedes, closed/suspended stop (and reactivation reopens), waiting
/// reminders are withdrawn.
final class RenewalOutletObserverTests: XCTestCase {
    private static let outlets = """
        F1,Kopi Co,O1,Bangsar,+60111000001,2026-03-15,active,
        F1,Kopi Co,O2,KLCC,+60111000002,2026-03-15,active,
        F1,Kopi Co,O3,Mont Kiara,+60111000003,2026-03-15,active,
        F1,Kopi Co,O4,Cheras,+60111000004,2026-03-15,active,

        """

    func testEveryWriterOfOutletsUsesTheRenewalObserver() {
        let observer: any OutletChangeObserver = .configured
        XCTAssertTrue(observer is RenewalOutletObserver)
    }

    func testPOSChangesRenewStopAndReopenCycles() throws {
        let store = try RenewalTestStore()
        try store.importCSV(Self.outlets, at: 0)
        XCTAssertEqual(try store.cycles(), [], "new outlets wait for the next run")
        try store.run(at: TestGateway.millis("2026-03-01", "10:00"))
        XCTAssertEqual(try store.cycles(), ["O1 open", "O2 open", "O3 open", "O4 open"])
        // D-7 of O4 waits for the end of quiet hours when the POS says it closed.
        try store.run(at: TestGateway.millis("2026-03-08", "03:00"))
        try store.importCSV("""
            F1,Kopi Co,O1,Bangsar,+60111000001,2027-03-15,active,
            F1,Kopi Co,O2,KLCC,+60111000002,2026-03-14,active,
            F1,Kopi Co,O3,Mont Kiara,+60111000003,2026-03-15,suspended,
            F1,Kopi Co,O4,Cheras,+60111000004,2026-03-15,closed,

            """, at: TestGateway.millis("2026-03-08", "05:00"))
        XCTAssertEqual(try store.cycles(), ["O1 renewed", "O2 stopped superseded", "O3 stopped suspended",
                                            "O4 stopped closed"])
        XCTAssertEqual(try store.rows("""
            SELECT renewed_after_reminder, renewed_after_expiry, new_expiry_date, renewed_at FROM renewals WHERE oid = 'O1'
            """), [["renewed_after_reminder": "1", "renewed_after_expiry": "0", "new_expiry_date": "2027-03-15",
                    "renewed_at": String(TestGateway.millis("2026-03-08", "05:00"))]])
        XCTAssertEqual(try store.attempts().filter { $0.hasPrefix("O4") },
                       ["O4 -14 60111000004 sent", "O4 -7 60111000004 cancelled"])
        XCTAssertEqual(try store.rows("SELECT count(*) AS n FROM outbox WHERE idempotency_key LIKE 'wa:renewal:%:-7:%'"),
                       [["n": "0"]], "every waiting D-7 withdrawn")

        // Back to active: the suspended cycle reopens (its withdrawn D-7 is not sent again; its D-1 will be); the
        // closed one stays stopped until it is reactivated too; the renewed outlet's new date is beyond the horizon.
        try store.importCSV("F1,Kopi Co,O3,Mont Kiara,+60111000003,2026-03-15,active,\n",
                            at: TestGateway.millis("2026-03-09", "10:00"))
        try store.run(at: TestGateway.millis("2026-03-09", "10:00"))
        XCTAssertEqual(try store.cycles(), ["O1 renewed", "O2 open", "O2 stopped superseded", "O3 open",
                                            "O4 stopped closed"])
        XCTAssertEqual(try store.attempts().filter { $0.hasPrefix("O3") },
                       ["O3 -14 60111000003 sent", "O3 -7 60111000003 cancelled"])
    }

    func testARenewalAfterTheExpiryDayIsARecovery() throws {
        let store = try RenewalTestStore()
        try store.importCSV("F1,Kopi Co,O1,Bangsar,+60111000001,2026-03-15,expired,\n", at: 0)
        try store.run(at: TestGateway.millis("2026-03-18", "10:00"))
        XCTAssertEqual(try store.attempts(), ["O1 -14 60111000001 skipped_stale", "O1 -7 60111000001 skipped_stale",
                                              "O1 -1 60111000001 skipped_stale", "O1 3 60111000001 sent"])
        try store.importCSV("F1,Kopi Co,O1,Bangsar,+60111000001,2027-03-15,active,\n",
                            at: TestGateway.millis("2026-03-19", "10:00"))
        XCTAssertEqual(try store.rows("SELECT status, renewed_after_reminder, renewed_after_expiry FROM renewals"),
                       [["status": "renewed", "renewed_after_reminder": "1", "renewed_after_expiry": "1"]])
    }
}
