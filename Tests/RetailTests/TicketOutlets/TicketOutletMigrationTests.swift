import Foundation
import GatewayTesting
import Storage
import XCTest

/// Migration 11 on a store that already holds tickets: conversation tickets land in the right outlet queue, bot/API
/// tickets stay outside resolution.
final class TicketOutletMigrationTests: XCTestCase {
    func testExistingConversationTicketsAreMarkedByWhetherTheyHaveAnOutlet() throws {
        let database = try DatabaseBeforeMigration(version: 11)
        let connection = database.connection
        for (uniqueID, channel, oid) in [("T1", "whatsapp", "O1"), ("T2", "whatsapp", nil), ("T3", nil, nil)] {
            try connection.run("""
                INSERT INTO tickets (unique_id, name, source, origin, created_at, updated_at, channel, oid)
                VALUES (?, 'x', 'api', 'api', 0, 0, ?, ?)
                """, [.text(uniqueID), SQLValue(channel), SQLValue(oid)])
        }
        XCTAssertEqual(try database.migrate().first, 11)
        let statuses = try connection.query("SELECT unique_id, outlet_status FROM tickets ORDER BY unique_id").map {
            "\($0.string("unique_id") ?? ""):\($0.string("outlet_status") ?? "null")"
        }
        XCTAssertEqual(statuses, ["T1:linked", "T2:unlinked", "T3:null"])
    }
}
