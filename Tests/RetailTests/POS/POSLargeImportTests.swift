import Foundation
import GatewayKit
import GatewayTestSupport
import Retail
import Storage
import XCTest

/// A daily POS export is large and one import is one transaction: renewing a third of 100,000 outlets must change
/// them all (earlier, a few hundred changed outlets made every such import fail with "database or disk is full").
final class POSLargeImportTests: XCTestCase {
    private static let outlets = 100_000

    /// `count` outlets, 5 per franchise; outlets whose number `renewed` accepts expire a year later.
    private func export(renewed: (Int) -> Bool = { _ in false }) -> String {
        var text = POSImportTests.header
        text.reserveCapacity(Self.outlets * 80)
        for n in 0..<Self.outlets {
            text += "F\(n / 5),Franchise \(n / 5),O\(n),Outlet \(n),+6012\(10_000_000 + n),"
                + "\(renewed(n) ? "2027" : "2026")-0\(1 + n % 9)-1\(n % 9),active,\n"
        }
        return text
    }

    func testAnImportRenewingAThirdOfOneHundredThousandOutletsChangesThemAll() throws {
        let pos = try POSTestStore()
        let first = try pos.importText(export(), now: 1_000)
        XCTAssertEqual([first.inserted, first.updated, first.unchanged], [Self.outlets, 0, 0])
        pos.observer.reset()

        let renewed = try pos.importText(export(renewed: { $0 % 3 == 0 }), now: 2_000)
        let third = (Self.outlets + 2) / 3
        XCTAssertEqual([renewed.inserted, renewed.updated, renewed.unchanged], [0, third, Self.outlets - third])
        XCTAssertEqual(pos.observer.changes.count, third, "every renewal is announced to the renewal bookkeeping")
        XCTAssertEqual(try pos.outlet("O99999")?.expiryDate.description, "2027-01-10")
        XCTAssertEqual(try pos.outlet("O99998")?.expiryDate.description, "2026-09-18")
        XCTAssertEqual(try pos.read { try $0.queryOne("SELECT count(*) AS n FROM outlets WHERE expiry_date LIKE '2027-%'")?
            .int("n") }, third)
    }
}
