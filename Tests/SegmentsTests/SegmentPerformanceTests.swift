import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// A segment's Performance tab through the real server: size growth from its evaluations within the range, and its
/// members by source, domicile, age (on today in the organisation's time zone) and gender, with reachability as the
/// detail counts it.
final class SegmentPerformanceTests: XCTestCase {
    private var gateway: TestGateway!
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    private func addContacts(_ names: [String]) throws {
        let people = names.enumerated().map { (name: $1, phone: "601110000\(String(format: "%02d", ids.count + $0 + 1))") }
        ids.merge(try gateway.customersSayHello(people)) { _, new in new }
    }

    private func evaluate(_ id: Int64, evaluations: Int) throws {
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)
        eventually("evaluation \(evaluations)") {
            try self.gateway.count("segment_evaluations", "segment_id = \(id) AND outcome = 'evaluated'") == evaluations
        }
    }

    private func performance(_ id: Int64, _ query: String = "") throws -> JSONValue? {
        let response = try gateway.admin("GET", "/v1/segments/\(id)/performance\(query)")
        XCTAssertEqual(response.status, 200, response.text)
        return response.json
    }

    /// `name: count (percent)` of each bucket, in the order given.
    private func buckets(_ distribution: JSONValue?) -> [String] {
        (distribution?.arrayValue ?? []).map { bucket in
            "\(bucket["name"]?.stringValue ?? "?"): \(bucket["count"]?.int64Value ?? -1) (\(bucket["percent"]?.doubleValue ?? -1))"
        }
    }

    func testGrowthAndTheMembersBySourceDomicileAgeAndGender() throws {
        try addContacts(["aisyah", "ben", "chong"])
        let created = try gateway.admin("POST", "/v1/segments", body: """
            {"name": "Everyone", "groups": [{"filters": [{"field": "phone_number", "operator": "is_not_empty"}]}]}
            """)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value, created.text)
        try evaluate(id, evaluations: 1)  // 2025-06-15 23:06 in Kuala Lumpur: 3 members
        gateway.moveClock(to: "2025-06-25", "12:00")
        try addContacts(["dina", "eli", "farid", "gina", "hana"])
        try evaluate(id, evaluations: 2)
        gateway.moveClock(to: "2025-07-10", "12:00")
        try evaluate(id, evaluations: 3)
        // 00:30 on 16 July in Kuala Lumpur is still 15 July in UTC: ages count the organisation's day.
        gateway.moveClock(to: "2025-07-16", "00:30")
        let values = [
            ("aisyah", #"{"source": "WhatsApp", "domicile": "Selangor", "date_of_birth": "2004-07-16", "sex": "Female"}"#),
            ("ben", #"{"source": "WhatsApp", "domicile": "Selangor", "date_of_birth": "1995-01-10", "sex": "Male"}"#),
            ("chong", #"{"source": "Email", "domicile": "Selangor", "date_of_birth": "1975-07-16", "sex": "Male"}"#),
            ("dina", #"{"domicile": "Johor", "date_of_birth": "1974-07-16"}"#),
            ("eli", #"{"source": "Instagram", "date_of_birth": "2030-01-01"}"#),
            ("gina", #"{"source": "WhatsApp", "date_of_birth": "2010-03-03", "sex": "Female"}"#),
            ("hana", #"{"source": "Email", "date_of_birth": "1985-07-17", "sex": "Male"}"#),
        ]
        for (name, body) in values {
            XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(ids[name]!)/fields", body: body).status, 200, name)
        }

        let all = try XCTUnwrap(try performance(id))
        XCTAssertEqual(all["range"], "all")
        XCTAssertEqual(all["member_count"], 8)
        XCTAssertEqual(all["size_growth"]?.arrayValue?.map { "\($0["at"]?.stringValue ?? "") \($0["member_count"]?.int64Value ?? -1)" },
                       ["2025-06-15T15:06:40.000Z 3", "2025-06-25T04:00:00.000Z 8", "2025-07-10T04:00:00.000Z 8"])
        XCTAssertEqual(try performance(id, "?range=30d")?["size_growth"]?.arrayValue?.count, 2, "since 16 June 00:30")
        XCTAssertEqual(try performance(id, "?range=7d")?["size_growth"]?.arrayValue?.count, 1, "since 9 July 00:30")

        XCTAssertEqual(buckets(all["source"]), ["WhatsApp: 3 (37.5)", "Email: 2 (25.0)", "Other: 2 (25.0)",
                                                "Instagram: 1 (12.5)"])
        XCTAssertEqual(buckets(all["domicile"]), ["Unknown: 4 (50.0)", "Selangor: 3 (37.5)", "Johor: 1 (12.5)"])
        XCTAssertEqual(buckets(all["age"]), ["<21: 1 (12.5)", "21-30: 2 (25.0)", "31-40: 1 (12.5)", "41-50: 1 (12.5)",
                                             ">50: 1 (12.5)", "Unknown: 2 (25.0)"],
                       "21 today, 30, 39 until tomorrow, 50 today, 51 today; no date of birth, or one after today")
        XCTAssertEqual(buckets(all["gender"]), ["Male: 3 (37.5)", "Female: 2 (25.0)", "Unknown: 3 (37.5)"])
        for name in ["source", "domicile", "age", "gender"] {
            let sum = all[name]?.arrayValue?.compactMap { $0["percent"]?.doubleValue }.reduce(0, +) ?? 0
            XCTAssertEqual(sum, 100, accuracy: 0.2, name)
        }

        let detail = try gateway.admin("GET", "/v1/segments/\(id)").json
        XCTAssertEqual(all["reachability"]?["whatsapp"]?["count"], detail?["whatsapp_reachable"])
        XCTAssertEqual(all["reachability"]?["whatsapp"], ["count": 8, "percent": 100])
        XCTAssertEqual(all["reachability"]?["email"], ["count": 0, "percent": 0])
        XCTAssertEqual(all["evaluated_at"], detail?["evaluated_at"])
    }

    func testASegmentNeverEvaluatedHasEmptyChartsAndBadParametersAreNamed() throws {
        try addContacts(["aisyah"])
        let created = try gateway.admin("POST", "/v1/segments", body: """
            {"name": "Nobody yet", "groups": [{"filters": [{"field": "full_name", "operator": "is_empty"}]}]}
            """)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value, created.text)
        XCTAssertEqual(try performance(id, "?range=7d"), [
            "segment_id": .integer(id), "range": "7d", "member_count": 0, "evaluated_at": nil, "size_growth": [],
            "source": [], "domicile": [], "age": [], "gender": [],
            "reachability": ["whatsapp": ["count": 0, "percent": nil], "email": ["count": 0, "percent": nil]],
        ])
        for (query, fields) in [("?range=90d", ["range"]), ("?range=all&from=2025-01-01", ["from"]),
                                ("?range=1y&limit=3", ["range", "limit"])] {
            let refused = try gateway.admin("GET", "/v1/segments/\(id)/performance\(query)")
            XCTAssertEqual(refused.status, 400, query)
            XCTAssertEqual(refused.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, fields, query)
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/999/performance").status, 404)
    }
}
