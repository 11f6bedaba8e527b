import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// `GET /v1/exports/{kind}.csv` over HTTP against a gateway with a small desk: two tickets on two outlets (one message
/// written like a spreadsheet formula, with quotes and a line break), a CSAT answer, renewal cycles with attempts and
/// the audit events the set-up made. Every file is read back with the gateway's own CSV reader.
final class ExportTests: XCTestCase {
    private var cloud: StubSink!
    private var gateway: TestGateway!
    private var tickets: (f1: Int64, f2: Int64) = (0, 0)
    static let hostileText = "=HYPERLINK(\"http://evil.example\",\"refund\")\nsay \"hi\", then 你好"
    static let november = "from=2026-11-01&to=2026-11-30"

    override func setUpWithError() throws {
        cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.M\(index)") }
        gateway = try TestGateway.whatsApp(cloud, clockStart: TestGateway.millis("2026-11-10", "10:00"))
        try gateway.pushOutlet("O1", name: "Kopi Bangsar", phones: ["+60199000001"], fid: "F1")
        try gateway.pushOutlet("O2", name: "Teh Tarik", phones: ["+60199000002"], fid: "F2", franchise: "Teh")
        try gateway.customerSays("hello", phone: "60123000001")
        try gateway.customerSays(Self.hostileText, phone: "60123000002")
        let ids = try gateway.conversationTickets().compactMap { $0["id"]?.int64Value }.sorted()
        tickets = (ids[0], ids[1])
        XCTAssertEqual(try gateway.linkOutlet(tickets.f1, #"{"oid": "O1"}"#).status, 200)
        XCTAssertEqual(try gateway.linkOutlet(tickets.f2, #"{"oid": "O2"}"#).status, 200)
        try gateway.move(tickets.f1, to: "resolved")
        cloud.waitForRequests(1)
        try gateway.customerSays("5", phone: "60123000001")
        try gateway.write { c in
            for (id, oid, fid, due) in [(1, "O1", "F1", "2026-11-20"), (2, "O2", "F2", "2026-11-21"),
                                        (3, "O1", "F1", "2026-12-20")] {
                try c.run("""
                    INSERT INTO renewals (id, oid, fid, due_date, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)
                    """, [.integer(Int64(id)), .text(oid), .text(fid), .text(due)])
                try c.run("""
                    INSERT INTO renewal_attempts (renewal_id, offset_days, scheduled_date, phone, result, created_at,
                                                  updated_at)
                    VALUES (?, -7, ?, '60199000001', 'sent', 1, 1)
                    """, [.integer(Int64(id)), .text(String(due.prefix(8)) + "13")])
            }
        }
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
        cloud = nil
    }

    /// The test gateway's own client keeps 64 KiB of a body; an export may be longer.
    private let client = CurlMultiClient(maxResponseBytes: 16 << 20)

    private func export(_ kind: String, _ query: String = november, token: String = TestGateway.adminToken,
                        file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        let request = ClientRequest(method: "GET", url: gateway.baseURL + "/v1/exports/\(kind).csv?\(query)",
                                    headers: [("Authorization", "Bearer \(token)")], body: [])
        let response = try client.perform(request).get()
        XCTAssertFalse(response.truncated, file: file, line: line)
        return response
    }

    /// The records of a CSV answer, header first.
    private func records(_ response: ClientResponse, file: StaticString = #filePath,
                         line: UInt = #line) throws -> [[String]] {
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return try CSVRecords.parse(response.body).map(\.fields)
    }

    private func column(_ name: String, of records: [[String]]) -> [String] {
        guard let index = records.first?.firstIndex(of: name) else { return [] }
        return records.dropFirst().map { $0[index] }
    }

    func testEachKindIsACSVFileOfThePeriodsRows() throws {
        let expected: [(kind: String, header: String, rows: Int)] = [
            ("tickets", "id,unique_id,name,status", 2),
            ("ticket-messages", "id,ticket_id,direction,type,text", try gateway.rows("SELECT id FROM ticket_messages").count),
            ("csat", "survey_id,ticket_id,resolution,assignee,sent_at", 1),
            ("renewals", "id,fid,oid,due_date,status", 2),
            ("renewal-attempts", "id,renewal_id,fid,oid,offset_days,scheduled_date", 2),
            ("audit-events", "id,at,actor,credential_id,action", try gateway.rows("SELECT id FROM audit_events").count),
        ]
        XCTAssertGreaterThan(expected[5].rows, 0, "the set-up was audited")
        for (kind, header, rows) in expected {
            let response = try export(kind)
            XCTAssertEqual(response.header(named: "Content-Type"), "text/csv; charset=utf-8", kind)
            XCTAssertEqual(response.header(named: "Content-Disposition"),
                           "attachment; filename=\"\(kind)-2026-11-01-2026-11-30.csv\"")
            XCTAssertEqual(response.header(named: "Transfer-Encoding"), "chunked", kind)
            XCTAssertTrue(response.text.hasPrefix(header + ","), "\(kind): \(response.text.prefix(80))")
            XCTAssertTrue(response.text.hasSuffix("\r\n"), kind)
            let parsed = try records(response)
            XCTAssertEqual(parsed.count - 1, rows, "\(kind): \(response.text)")
            XCTAssertTrue(parsed.allSatisfy { $0.count == parsed[0].count }, kind)
            XCTAssertEqual(column(parsed[0][0], of: parsed).map { Int64($0)! }.sorted(),
                           column(parsed[0][0], of: parsed).map { Int64($0)! }, "\(kind) in key order")
        }
        let ticketRows = try records(try export("tickets"))
        XCTAssertEqual(column("id", of: ticketRows), [String(tickets.f1), String(tickets.f2)])
        XCTAssertEqual(column("oid", of: ticketRows), ["O1", "O2"])
        XCTAssertEqual(column("status", of: ticketRows), ["resolved", "open"])
        XCTAssertEqual(column("created_at", of: ticketRows).first, "2026-11-10T02:00:00.000Z", "RFC 3339 UTC")
        let csat = try records(try export("csat"))
        XCTAssertEqual(column("ticket_id", of: csat), [String(tickets.f1)])
        XCTAssertEqual(column("rating", of: csat), ["5"])
        XCTAssertEqual(column("due_date", of: try records(try export("renewals"))), ["2026-11-20", "2026-11-21"])
    }

    func testAnExportOfManyPagesIsCompleteAndInKeyOrder() throws {
        try gateway.write { c in
            try c.run("""
                WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 3509)
                INSERT INTO renewals (id, oid, fid, due_date, created_at, updated_at)
                SELECT i, 'X' || i, 'F' || (i % 2 + 1), '2026-11-' || (10 + i % 20), 1, 1 FROM n
                """)
        }
        let all = column("id", of: try records(try export("renewals")))
        XCTAssertEqual(all.count, 3_502, "over four pages")
        XCTAssertTrue(all == ["1", "2"] + (10...3509).map(String.init), "each row once, in key order")
        let scoped = try gateway.token(role: "admin", scope: ["F2"], name: "f2-admin")
        let theirs = column("id", of: try records(try export("renewals", token: scoped)))
        XCTAssertEqual(theirs.count, 1_751)
        XCTAssertTrue(theirs == ["2"] + stride(from: 11, through: 3509, by: 2).map(String.init))
    }

    func testAMessageWrittenLikeAFormulaRoundTripsNeutralized() throws {
        let messages = try records(try export("ticket-messages"))
        let texts = zip(column("ticket_id", of: messages), column("text", of: messages))
            .filter { $0.0 == String(tickets.f2) }.map(\.1)
        XCTAssertEqual(texts, ["'" + Self.hostileText], "the quote keeps a spreadsheet from running it")
    }

    func testTheByteOrderMarkIsOptional() throws {
        XCTAssertEqual(Array(try export("tickets", Self.november + "&bom=true").body.prefix(4)),
                       [0xEF, 0xBB, 0xBF, UInt8(ascii: "i")])
        XCTAssertEqual(try export("tickets", Self.november + "&bom=false").body.first, UInt8(ascii: "i"))
        XCTAssertEqual(try export("tickets").body.first, UInt8(ascii: "i"))
    }

    func testAnEmptyPeriodIsTheHeaderLineOnly() throws {
        let response = try export("ticket-messages", "from=2026-10-01&to=2026-10-31")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "id,ticket_id,direction,type,text,caption,media_id,sender,sent_at,created_at\r\n")
        XCTAssertEqual(try records(try export("renewals", "from=2026-12-21&to=2026-12-31")).count, 1)
    }

    func testTheLocalDaysDecide() throws {
        // 10:00 in Kuala Lumpur on 10 November is 02:00 UTC: the ticket is on the 10th, not the 9th.
        XCTAssertEqual(try records(try export("tickets", "from=2026-11-10&to=2026-11-10")).count, 3)
        XCTAssertEqual(try records(try export("tickets", "from=2026-11-09&to=2026-11-09")).count, 1)
    }

    func testAScopedCallerGetsTheRowsOfItsOutletsOnly() throws {
        let scoped = try gateway.token(role: "admin", scope: ["F1"], name: "f1-admin")
        XCTAssertEqual(column("id", of: try records(try export("tickets", token: scoped))), [String(tickets.f1)])
        XCTAssertEqual(Set(column("ticket_id", of: try records(try export("ticket-messages", token: scoped)))),
                       [String(tickets.f1)])
        XCTAssertEqual(column("ticket_id", of: try records(try export("csat", token: scoped))), [String(tickets.f1)])
        XCTAssertEqual(column("oid", of: try records(try export("renewals", token: scoped))), ["O1"])
        XCTAssertEqual(column("oid", of: try records(try export("renewal-attempts", token: scoped))), ["O1"])
        let outlet = try gateway.token(role: "admin", scope: ["/O2"], name: "o2-admin")
        XCTAssertEqual(column("id", of: try records(try export("tickets", token: outlet))), [String(tickets.f2)])

        let audit = try export("audit-events", token: scoped)
        XCTAssertEqual(audit.status, 403, "audit events carry no outlet")
        XCTAssertEqual(audit.header(named: "Content-Type"), "application/problem+json")
        let agent = try gateway.token(role: "agent", name: "agent-without-export")
        XCTAssertEqual(try export("tickets", token: agent).status, 403, "data.export is needed")
    }

    func testBadInputIsA400NamingTheField() throws {
        let cases: [(kind: String, query: String, fields: [String])] = [
            ("deals", Self.november, ["kind"]),
            ("tickets", "from=2026-11-30&to=2026-11-01", ["from"]),
            ("tickets", "from=2025-01-01&to=2026-11-30", ["to"]),
            ("tickets", "from=01/11/2026&to=2026-11-30", ["from"]),
            ("tickets", "from=2026-11-01", ["to"]),
            ("tickets", "from=2026-02-30&to=2026-03-01", ["from"]),
            ("tickets", Self.november + "&limit=5&bom=yes", ["bom", "limit"]),
            ("nope", "to=x", ["from", "kind", "to"]),
        ]
        for (kind, query, fields) in cases {
            let response = try export(kind, query)
            XCTAssertEqual(response.status, 400, "\(kind)?\(query): \(response.text)")
            let named = response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            XCTAssertEqual(named.sorted(), fields, "\(kind)?\(query): \(response.text)")
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/exports/tickets?\(Self.november)").status, 404,
                       "an export is always a .csv file")
    }
}
