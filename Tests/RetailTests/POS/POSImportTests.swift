import GatewayKit
import GatewayTestSupport
import POSAdapter
import Retail
import XCTest

/// `pos import` against the store: normalization, counts, re-imports, and the bad inputs of a POS export — each refused
/// whole with the line and column named, the store left exactly as it was.
final class POSImportTests: XCTestCase {
    static let header = "fid,franchise_name,oid,name,phones,expiry_date,status,time_zone\n"
    static let good = header + """
        F1,Kopi Co,O1,Kopi Co Bangsar,+60 12-345 6789;012-3456780,2026-12-31,active,
        F1,Kopi Co,O2,"Kopi Co, \"\"KLCC\"\"",0060123456789,2020-01-15,Active,Asia/Kuching
        F2,Roti Bros,O3,Roti Bros PJ,,2027-03-01,suspended,\r

        """

    func testAnImportStoresNormalizedOutletsAndCountsThem() throws {
        let pos = try POSTestStore()
        let report = try pos.importText(Self.good, now: 5_000)
        XCTAssertEqual([report.inserted, report.updated, report.unchanged], [3, 0, 0])
        XCTAssertEqual([report.franchisesCreated, report.franchisesRenamed], [2, 0])

        let o1 = try XCTUnwrap(pos.outlet("O1"))
        XCTAssertEqual(o1.phones, ["60123456780", "60123456789"])
        XCTAssertEqual(o1.timeZone, "Asia/Kuala_Lumpur", "no time zone → pos.default_time_zone")
        XCTAssertEqual(o1.franchiseName, "Kopi Co")
        XCTAssertEqual([o1.createdAt, o1.updatedAt], [5_000, 5_000])
        let o2 = try XCTUnwrap(pos.outlet("O2"))
        XCTAssertEqual(o2.name, #"Kopi Co, "KLCC""#)
        XCTAssertEqual(o2.status, .active)
        XCTAssertEqual(o2.expiryDate.description, "2020-01-15", "an expiry in the past is accepted (overdue)")
        XCTAssertEqual(o2.timeZone, "Asia/Kuching")
        XCTAssertEqual(try pos.outlet("O3")?.phones, [], "an outlet without contacts is accepted")
        XCTAssertEqual(pos.observer.changes.count, 3, "new outlets are announced")
        XCTAssertTrue(pos.observer.changes.allSatisfy { $0.before == nil && $0.source == .fileImport })
    }

    func testTheSameFileAgainChangesNothingAndAChangedRowIsAnUpdate() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.good)
        let before = try pos.dump()
        pos.observer.reset()
        let again = try pos.importText(Self.good, now: 9_000)
        XCTAssertEqual([again.inserted, again.updated, again.unchanged], [0, 0, 3])
        XCTAssertEqual(try pos.dump(), before)
        XCTAssertTrue(pos.observer.changes.isEmpty)

        let renewed = Self.good.replacingOccurrences(of: "2020-01-15", with: "2021-01-15")
            .replacingOccurrences(of: "Roti Bros PJ,,", with: "Roti Bros PJ,019-8765432,")
        let report = try pos.importText(renewed, now: 9_000)
        XCTAssertEqual([report.inserted, report.updated, report.unchanged], [0, 2, 1])
        XCTAssertEqual(try pos.outlet("O3")?.phones, ["60198765432"])
        XCTAssertEqual(try pos.outlet("O3")?.updatedAt, 9_000)
        XCTAssertEqual(pos.observer.changes.map(\.after.oid), ["O2"], "only expiry/status changes are announced")
        XCTAssertEqual(pos.observer.changes.first?.before?.expiryDate.description, "2020-01-15")
        XCTAssertTrue(pos.observer.changes.first?.expiryDateChanged == true)
    }

    func testColumnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.good)
        let report = try pos.importText("\u{FEFF}STATUS,oid,expiry_date,Name,fid\nclosed,O1,2026-12-31,Kopi Co Bangsar,F1\n")
        XCTAssertEqual(report.updated, 1)
        let o1 = try XCTUnwrap(pos.outlet("O1"))
        XCTAssertEqual(o1.status, .closed)
        XCTAssertEqual(o1.phones.count, 2, "no phones column: phones kept")
        XCTAssertEqual(o1.franchiseName, "Kopi Co", "no franchise_name: the known franchise")
    }

    func testAMissingOrUnknownColumnIsNamed() throws {
        let pos = try POSTestStore()
        let missing = pos.importError("fid,oid,name,status\nF1,O1,x,active\n")
        XCTAssertEqual(missing?.problems, [FieldError(field: "line 1", message: "missing column 'expiry_date'")])
        let unknown = pos.importError("fid,oid,name,status,expiry_date,colour\n")
        XCTAssertEqual(unknown?.problems.first?.field, "line 1, column 6")
        XCTAssertTrue(unknown?.problems.first?.message.contains("unknown column 'colour'") == true)
        XCTAssertEqual(pos.importError("")?.problems.first?.field, "line 1")
    }

    func testBadValuesAreNamedByLineAndColumnAndNothingIsWritten() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.good)
        let before = try pos.dump()
        let error = pos.importError(Self.header + """
            F1,Kopi Co,O1,Kopi Co Bangsar,+60 12-345 6789,2026-12-31,active,
            F1,Kopi Co,O4,New,012-abc,2026-02-30,active,
            F1,Kopi Co,O5,,0123,2026-01-01,gone,Mars/Olympus
            F1,Kopi Co,O6,Six,012-3456789
            """)
        XCTAssertEqual(error?.problems, [
            FieldError(field: "line 3, column 5 (phones)",
                       message: "'012-abc' contains 'a'; a phone has digits, a leading +, spaces, dashes and parentheses only"),
            FieldError(field: "line 3, column 6 (expiry_date)", message: "must be a date YYYY-MM-DD that exists, got '2026-02-30'"),
            FieldError(field: "line 4, column 4 (name)", message: "is required"),
            FieldError(field: "line 4, column 5 (phones)",
                       message: "'0123' has 5 digits with its country code; a phone number has 7 to 15"),
            FieldError(field: "line 4, column 7 (status)",
                       message: "must be one of active, expired, suspended, closed, got 'gone'"),
            FieldError(field: "line 4, column 8 (time_zone)",
                       message: "must be an IANA time zone such as Asia/Kuala_Lumpur, got 'Mars/Olympus'"),
            FieldError(field: "line 5", message: "has 5 fields, the header has 8"),
        ])
        XCTAssertEqual(try pos.dump(), before)
    }

    func testADuplicateOIDNamesBothLines() throws {
        let pos = try POSTestStore()
        let error = pos.importError(Self.good + "F1,Kopi Co,O1,Again,,2026-01-01,active,\n")
        XCTAssertEqual(error?.problems, [FieldError(field: "line 5 (oid)", message: "OID O1 appears again (first at line 2)")])
        XCTAssertEqual(try pos.dump(), "\n--\n\n--\n\n--\n")
    }

    func testAnUnknownFranchiseIsCreatedFromItsNameAndRefusedWithoutOne() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.good)
        let before = try pos.dump()
        let error = pos.importError("fid,oid,name,expiry_date,status\nF1,O7,Seven,2026-01-01,active\nF9,O8,Eight,2026-01-01,active\n")
        XCTAssertEqual(error?.problems, [FieldError(field: "line 3 (franchise_name)",
                                                    message: "is required: franchise F9 is not known yet")])
        XCTAssertEqual(try pos.dump(), before, "line 2 was fine, but the import is all or nothing")
        let two = pos.importError("fid,oid,name,expiry_date,status\nFZ,OZ,z,2026-01-01,active\nFA,OA,a,2026-01-01,active\n")
        XCTAssertEqual(two?.problems.map(\.field), ["line 2 (franchise_name)", "line 3 (franchise_name)"], "in file order")

        let report = try pos.importText("fid,franchise_name,oid,name,expiry_date,status\nF9,Nasi Hub,O8,Eight,2026-01-01,active\n")
        XCTAssertEqual([report.inserted, report.franchisesCreated], [1, 1])
        let renamed = pos.importError(Self.header + "F1,Kopi Co,O1,a,,2026-01-01,active,\nF1,Kopi Kopi,O2,b,,2026-01-01,active,\n")
        XCTAssertEqual(renamed?.problems.first?.field, "line 3 (franchise_name)", "one file, two names for F1")
    }

    func testAnObserverThatThrowsRollsTheWholeImportBack() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.good)
        let before = try pos.dump()
        pos.observer.refuse("O2")
        XCTAssertThrowsError(try pos.importText(Self.good.replacingOccurrences(of: "2026-12-31", with: "2027-12-31")
            .replacingOccurrences(of: "2020-01-15", with: "2021-01-15")))
        XCTAssertEqual(try pos.dump(), before)
    }

    func testJSONImportsTheSameFieldsAndNamesWrongTypesByPath() throws {
        let pos = try POSTestStore()
        let report = try pos.importText("""
            {"outlets": [
              {"fid": 17, "franchise_name": "Kopi Co", "oid": 1001, "name": "Bangsar", "phones": ["012-3456789", ""],
               "expiry_date": "2026-12-31", "status": "ACTIVE", "time_zone": null}
            ]}
            """, .json)
        XCTAssertEqual(report.inserted, 1)
        XCTAssertEqual(try pos.outlet("1001")?.phones, ["60123456789"])
        XCTAssertEqual(try pos.outlet("1001")?.fid, "17")
        let before = try pos.dump()

        let error = pos.importError("""
            {"outlets": [
              {"fid": "F1", "franchise_name": "X", "oid": true, "name": "A", "phones": "012-3456789",
               "expiry_date": 20261231, "status": "active", "colour": "red"},
              {"fid": "F1", "oid": "O2", "name": "B", "phones": ["012-3456789", 60123456789], "status": "active"},
              "O3"
            ]}
            """, .json)
        XCTAssertEqual(error?.problems, [
            FieldError(field: "outlets[0].colour", message: "is not a known field"),
            FieldError(field: "outlets[0].oid", message: "must be a string or an integer, got boolean"),
            FieldError(field: "outlets[0].phones", message: "must be an array of strings, got string"),
            FieldError(field: "outlets[0].expiry_date", message: "must be a string, got number"),
            FieldError(field: "outlets[1].phones[1]", message: "must be a string, got number"),
            FieldError(field: "outlets[1].expiry_date", message: "is required"),
            FieldError(field: "outlets[2]", message: "must be an object, got string"),
        ])
        XCTAssertEqual(pos.importError("[]", .json)?.problems.first?.field, "document")
        XCTAssertEqual(pos.importError("{\"outlets\": [\n{\"oid\": }]}", .json)?.problems.first?.field, "line 2")
        XCTAssertEqual(try pos.dump(), before)
    }

    func testCSVQuotingAndBrokenQuotes() throws {
        let pos = try POSTestStore()
        try pos.importText(Self.header + "F1,\"Kopi, Co\",O1,\"a \"\"b\"\"\",,2026-01-01,active,\r\n")
        XCTAssertEqual(try pos.outlet("O1")?.name, #"a "b""#)
        XCTAssertEqual(try pos.outlet("O1")?.franchiseName, "Kopi, Co")
        let multiline = pos.importError(Self.header + "F1,\"Kopi\nCo\",O2,x,,2026-01-01,active,\nF1,X,O3,y,,2026-02-30,active,\n")
        XCTAssertEqual(multiline?.problems.map(\.field), ["line 2, column 2 (franchise_name)", "line 4, column 6 (expiry_date)"],
                       "a line break inside quotes is refused in a name, and later lines keep their physical numbers")
        let unclosed = pos.importError(Self.header + "F1,X,O2,\"open,,2026-01-01,active,\n")
        XCTAssertEqual(unclosed?.problems, [FieldError(field: "line 2", message: "has a quoted field that is never closed")])
        let stray = pos.importError(Self.header + "F1,X,O2,a\"b,,2026-01-01,active,\n")
        XCTAssertEqual(stray?.problems.first?.field, "line 2")

        let decoder = POSSnapshotDecoder(rules: OutletFieldRules(settings: POSSettings()))
        XCTAssertThrowsError(try decoder.decode(Array((Self.header + "F1,X,O2,").utf8) + [0xC3, 0x28] + Array(",,2026-01-01,active,\n".utf8),
                                                format: .csv)) { error in
            XCTAssertEqual((error as? POSImportError)?.problems, [FieldError(field: "line 2", message: "is not valid UTF-8")])
        }
    }
}
