import Delivery
import GatewayKit
import GatewayTestSupport
import Identity
import Retail
import Storage
import XCTest

/// Contact → outlet resolution straight against the store: one match links, several are ambiguous, none is unlinked;
/// links are recorded with their method and read back.
final class ContactOutletResolverTests: XCTestCase {
    let resolver = ContactOutletResolver(phoneFormat: PhoneNumberFormat(defaultCountryCode: "60"))

    func testAPhoneInAnyFormatResolvesToItsOutlets() throws {
        let pos = try POSTestStore()
        try pos.importText(POSImportTests.header + """
            F1,Kopi Co,O1,Bangsar,012-3456789;013-1111111,2026-12-31,active,
            F1,Kopi Co,O2,KLCC,013-1111111,2026-12-31,closed,
            F2,Roti Bros,O3,PJ,,2026-12-31,active,

            """)
        try pos.read { connection in
            XCTAssertEqual(try resolver.resolve(phone: "+60 12-345 6789", in: connection), .linked(fid: "F1", oid: "O1"))
            XCTAssertEqual(try resolver.resolve(phone: "60123456789", in: connection), .linked(fid: "F1", oid: "O1"))
            guard case .ambiguous(let outlets) = try resolver.resolve(phone: "0060131111111", in: connection) else {
                return XCTFail("an owner's number on two outlets is ambiguous")
            }
            XCTAssertEqual(outlets.map(\.oid), ["O1", "O2"])
            XCTAssertEqual(outlets.last?.status, .closed, "every status counts")
            XCTAssertEqual(try resolver.resolve(phone: "019-9999999", in: connection), .unlinked)
            XCTAssertThrowsError(try resolver.resolve(phone: "not a phone", in: connection)) {
                XCTAssertEqual($0 as? PhoneNumberError, .invalidCharacter("n"))
            }
        }
    }

    func testLinksAreRecordedWithTheirMethodAndReadBack() throws {
        let pos = try POSTestStore()
        try pos.importText(POSImportTests.good)
        try pos.store.writer.perform { [resolver] connection in
            try resolver.link(contactID: "cus_1", oid: "O2", method: .customerChoice, at: 10, in: connection)
            try resolver.link(contactID: "cus_1", oid: "O1", method: .phone, at: 20, in: connection)
            try resolver.link(contactID: "cus_2", oid: "O1", method: .manual, at: 30, in: connection)
            try resolver.link(contactID: "cus_1", oid: "O2", method: .manual, at: 40, in: connection)
        }
        let links = try pos.read { try resolver.links(contactID: "cus_1", in: $0) }
        XCTAssertEqual(links.map(\.outlet.oid), ["O1", "O2"])
        XCTAssertEqual(links.map(\.method), [.phone, .manual], "linking again replaces method and time")
        XCTAssertEqual(links.map(\.linkedAt), [20, 40])
        XCTAssertEqual(links.first?.outlet.phones, ["60123456780", "60123456789"])
        XCTAssertEqual(try pos.read { try resolver.links(contactID: "nobody", in: $0) }, [])
        XCTAssertEqual(try pos.read { try $0.query("SELECT method FROM contact_outlet WHERE contact_id = 'cus_2'") }
            .first?.string("method"), "manual")

        XCTAssertThrowsError(try pos.store.writer.perform { [resolver] connection in
            try resolver.link(contactID: "cus_1", oid: "O404", method: .phone, at: 50, in: connection)
        }) { XCTAssertEqual($0 as? GatewayError, .notFound("no outlet O404")) }
        XCTAssertThrowsError(try pos.store.writer.perform { [resolver] connection in
            try resolver.link(contactID: "", oid: "O1", method: .phone, at: 50, in: connection)
        })
    }

    func testExpiringOutletsAreListedByDateFromTheIndex() throws {
        let pos = try POSTestStore()
        try pos.importText(POSImportTests.good)
        let window = try pos.read {
            try OutletDirectory.expiring(from: CalendarDate("2026-01-01")!, through: CalendarDate("2027-12-31")!, in: $0)
        }
        XCTAssertEqual(window.map(\.oid), ["O1", "O3"])
        let active = try pos.read {
            try OutletDirectory.expiring(from: CalendarDate("2000-01-01")!, through: CalendarDate("2030-01-01")!,
                                         statuses: [.active], in: $0)
        }
        XCTAssertEqual(active.map(\.oid), ["O2", "O1"], "by expiry date")
        let plan = try pos.read { connection in
            try connection.query("""
                EXPLAIN QUERY PLAN SELECT oid FROM outlets WHERE expiry_date BETWEEN '2026-01-01' AND '2026-03-01'
                AND status IN ('active', 'expired')
                """).compactMap { $0.string("detail") }.joined(separator: " ")
        }
        XCTAssertTrue(plan.contains("outlets_by_expiry"), plan)
    }
}
