@testable import GatewayKit
import GatewayTestSupport
import Messaging
@testable import Retail
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

    private func outlets(_ oids: [String]) -> [OutletRecord] {
        oids.map { oid in
            OutletRecord(oid: oid, fid: "F", franchiseName: "Franchise", name: "Outlet \(oid)", phones: [],
                         expiryDate: CalendarDate("2027-01-01")!, status: .active,
                         timeZone: "Asia/Kuala_Lumpur", createdAt: 0, updatedAt: 0)
        }
    }

    private func texts(_ language: String) throws -> WhatsAppTexts {
        let directory = (TestGateway.templatesDirectory as NSString).appendingPathComponent(WhatsAppTextCatalog.folder)
        return try WhatsAppTextCatalog.load(directory: directory, sets: [OutletChoiceList.texts], defaultLanguage: "en")
            .texts(OutletChoiceList.texts, language: language)
    }

    func testEveryOfferedRowReadsBackToItsOutlet() throws {
        let (list, offered) = OutletChoiceList.message(ticketID: 9, candidates: outlets(["B", "a:1", "C"]),
                                                       texts: try texts("en"))
        XCTAssertEqual(list.problems(), [])
        let rows = list.sections.flatMap(\.rows)
        XCTAssertEqual(rows.map { OutletChoiceList.reply(rowID: $0.id) },
                       offered.map { .choice(ticketID: 9, oid: $0.oid) })
        XCTAssertEqual(offered.map(\.oid), ["a:1", "B", "C"], "by name, case-insensitively")
    }

    /// The shipped words fit the Cloud API's limits in every language, footer included (up to 9999 candidates).
    func testTheListFitsTheCloudAPILimitsInEnglishAndMalay() throws {
        for language in ["en", "ms"] {
            let (list, _) = OutletChoiceList.message(ticketID: 9, candidates: outlets((1...12).map { "O\($0)" }),
                                                     texts: try texts(language))
            XCTAssertEqual(list.problems(), [], language)
            XCTAssertNotNil(list.footer, language)
            XCTAssertLessThanOrEqual(try texts(language).text("footer_partial", "10", "9999").count,
                                     WhatsAppListMessage.Limit.headerFooter, language)
        }
        XCTAssertEqual(try texts("ms").text("footer_partial", "10", "12"),
                       "10 daripada 12 cawangan dipaparkan. Tiada? Balas sahaja.")
    }
}
