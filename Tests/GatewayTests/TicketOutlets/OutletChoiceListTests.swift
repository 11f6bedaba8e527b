@testable import GatewayCore
import XCTest

/// The row ids of the outlet list and how they read back.
final class OutletChoiceListTests: XCTestCase {
    func testRowIDsReadBackIncludingOIDsWithColons() {
        XCTAssertEqual(OutletChoiceList.reply(rowID: "outlet:42:O1"), .choice(ticketID: 42, oid: "O1"))
        XCTAssertEqual(OutletChoiceList.reply(rowID: "outlet:42:MY:KL:7"), .choice(ticketID: 42, oid: "MY:KL:7"))
        XCTAssertEqual(OutletChoiceList.reply(rowID: "menu:billing"), .other)
        for garbled in ["outlet:", "outlet:42", "outlet:42:", "outlet:x:O1", "outlet:0:O1", "outlet:-3:O1",
                        "outlet:42:O 1", "outlet:42:\(String(repeating: "a", count: 65))"] {
            XCTAssertEqual(OutletChoiceList.reply(rowID: garbled), .malformed, garbled)
        }
    }

    func testEveryOfferedRowReadsBackToItsOutlet() {
        let outlets = ["B", "a:1", "C"].map { oid in
            OutletRecord(oid: oid, fid: "F", franchiseName: "Franchise", name: "Outlet \(oid)", phones: [],
                         expiryDate: CalendarDate("2027-01-01")!, status: .active,
                         timeZone: "Asia/Kuala_Lumpur", createdAt: 0, updatedAt: 0)
        }
        let (list, offered) = OutletChoiceList.message(ticketID: 9, candidates: outlets)
        XCTAssertEqual(list.problems(), [])
        let rows = list.sections.flatMap(\.rows)
        XCTAssertEqual(rows.map { OutletChoiceList.reply(rowID: $0.id) },
                       offered.map { .choice(ticketID: 9, oid: $0.oid) })
        XCTAssertEqual(offered.map(\.oid), ["a:1", "B", "C"], "by name, case-insensitively")
    }
}
