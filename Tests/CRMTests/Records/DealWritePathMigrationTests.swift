import Configuration
import Delivery
import Foundation
import GatewayTesting
import Ingress
import Storage
import XCTest

/// Migration 8: the deal insert path writes no index that nothing reads.
final class DealWritePathMigrationTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-mig8-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func indexes(_ path: String) throws -> Set<String> {
        Set(try DatabaseInspector.rows(path: path, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
            .compactMap { $0["name"] })
    }

    func testDatabaseMigratedBeforeVersion8LosesTheUnreadDealIndexesAndKeepsItsDeals() throws {
        let path = directory.appendingPathComponent("gateway.sqlite").path
        let old = try SQLiteConnection(path: path)
        _ = try Migrator.migrate(old, migrations: GatewaySchema.migrations.filter { $0.version != 8 })
        try old.run("""
            INSERT INTO deals (unique_id, name, room_id, contact_id, source, origin, created_at, updated_at)
            VALUES ('u-1', 'Kept', 'room-1', 'c-1', 'whatsapp', 'chatbot', 1, 1)
            """)
        old.close()
        XCTAssertTrue(try indexes(path).isSuperset(of: ["deals_by_room", "deals_by_contact"]))

        var config = GatewayConfig().store
        config.path = path
        XCTAssertEqual(try SQLiteGatewayStore.migrate(config: config, migrations: GatewaySchema.migrations), [8])
        let after = try indexes(path)
        XCTAssertFalse(after.contains("deals_by_room"))
        XCTAssertFalse(after.contains("deals_by_contact"))
        XCTAssertTrue(after.isSuperset(of: ["tickets_by_room", "tickets_by_contact"]), "tickets keep theirs")
        XCTAssertEqual(try DatabaseInspector.rows(path: path, sql: "SELECT name FROM deals"), [["name": "Kept"]])
    }
}
