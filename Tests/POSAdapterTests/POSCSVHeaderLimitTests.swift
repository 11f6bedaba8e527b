import GatewayKit
import POSAdapter
import Retail
import XCTest

/// A CSV header is one line, so it can hold any number of bad columns: its problems stop at `maxProblems` like a
/// file's rows do, instead of one message (each listing every known column) per comma (found by fuzzing).
final class POSCSVHeaderLimitTests: XCTestCase {
    func testAHeaderOfTenThousandUnknownColumnsIsRefusedWithAtMostMaxProblems() {
        let header = "fid,oid,name,expiry_date,status" + String(repeating: ",colour", count: 10_000) + "\n"
        let reader = OutletCSVReader(rules: OutletFieldRules(settings: POSSettings()))
        XCTAssertThrowsError(try reader.read(Array((header + "F1,O1,x,2026-01-01,active\n").utf8))) { error in
            let problems = (error as? POSImportError)?.problems ?? []
            XCTAssertEqual(problems.count, POSImportError.maxProblems)
            XCTAssertEqual(problems.first?.field, "line 1, column 6")
            XCTAssertTrue((error as? POSImportError)?.isTruncated ?? false)
        }
    }
}
