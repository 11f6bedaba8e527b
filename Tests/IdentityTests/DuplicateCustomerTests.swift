import Configuration
import Delivery
import Foundation
import GatewayTestSupport
import GatewayTesting
import Identity
import Ingress
import Storage
import XCTest

/// The duplicate-customer KPI: `DuplicateCustomerReport` and `gateway identity duplicates`.
final class DuplicateCustomerTests: XCTestCase {
    func testReportFindsCustomersSharingAnIdentifierWrittenDifferently() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        let a = try store.apply(IdentityEvents.contact("US.100001", phone: "60123456789"), at: 1).contactID
        let b = try store.apply(IdentityEvents.contact("US.200002", phone: "60198765432"), at: 1).contactID
        XCTAssertEqual(try DuplicateCustomerReport.scan(in: store.connection).groups, [])
        // Legacy rows written around the resolver: the same phone and email in other spellings.
        try store.connection.run("""
            INSERT INTO customer_identifiers (customer_id, kind, value, created_at)
            SELECT id, 'phone', '+60 12-345 6789', 0 FROM customers WHERE public_id = ?
            """, [.text(b ?? "")])
        try store.connection.run("""
            INSERT INTO customer_identifiers (customer_id, kind, value, created_at) SELECT id, 'email', ?, 0
            FROM customers WHERE public_id IN (?, ?)
            """, [.text("X@Example.com"), .text(a ?? ""), .text("")])
        try store.connection.run("""
            INSERT INTO customer_identifiers (customer_id, kind, value, created_at)
            SELECT id, 'email', 'x@example.com', 0 FROM customers WHERE public_id = ?
            """, [.text(b ?? "")])
        let report = try DuplicateCustomerReport.scan(in: store.connection)
        XCTAssertEqual(report.liveCustomers, 2)
        XCTAssertEqual(report.groups.map(\.kind), ["email", "phone"])
        XCTAssertEqual(report.groups.first { $0.kind == "phone" }?.value, "60123456789")
        XCTAssertEqual(Set(report.groups[0].contactIDs), Set([a, b].compactMap { $0 }))
        XCTAssertEqual(report.duplicateRate, 1.0)
    }

    /// On the store the suite runs on (`GATEWAY_TEST_STORE`): a SQLite file, or a PostgreSQL database.
    func testCommandReportsAndExitsThreeOnDuplicates() throws {
        let store = try TestStore()
        let environment = store.environment
        let (clean, out, _) = try GatewayProcess.run(["identity", "duplicates"], environment: environment)
        XCTAssertEqual(clean, 0)
        XCTAssertTrue(out.contains("live customers: 0") && out.contains("duplicate groups: 0"), out)
        var config = GatewayConfig()
        store.configure(&config)
        let opened = try GatewayStores.open(config.store, migrations: GatewaySchema.migrations)
        try opened.database.write { c in
            try c.run("""
                INSERT INTO customers (id, public_id, created_at, updated_at) VALUES (1, 'cus_a', 0, 0), (2, 'cus_b', 0, 0)
                """)
            try c.run("""
                INSERT INTO customer_identifiers (customer_id, kind, value, created_at)
                VALUES (1, 'phone', '60123456789', 0), (2, 'phone', '+60123456789', 0)
                """)
        }
        opened.close()
        let (found, report, _) = try GatewayProcess.run(["identity", "duplicates"], environment: environment)
        XCTAssertEqual(found, 3)
        XCTAssertTrue(report.contains("phone 60123456789: cus_a cus_b"), report)
        let (usage, _, _) = try GatewayProcess.run(["identity", "nonsense"], environment: environment)
        XCTAssertEqual(usage, 64)
    }
}
