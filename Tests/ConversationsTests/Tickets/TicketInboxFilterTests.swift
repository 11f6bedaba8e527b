import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// The inbox's filters on `GET /v1/tickets` beyond equality: where the SLA clock stands (`sla`), the ticket's
/// `language` and `unassigned`; bad values are a 400 naming each parameter.
final class TicketInboxFilterTests: XCTestCase {
    func testTicketsFilterBySLAStateLanguageAndUnassigned() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        // First response is due 5 minutes after opening: ten minutes on, the first ticket's clock has passed.
        try gateway.customerSays("my printer is broken", phone: "60111000001", name: "Ali")
        gateway.advance(minutes: 10)
        try gateway.customerSays("mesin resit rosak", phone: "60111000002", name: "Siti")
        try gateway.customerSays("hello there", phone: "60111000003", name: "Chen")
        let ids = try gateway.conversationTickets().compactMap { $0["id"]?.int64Value }
        XCTAssertEqual(ids.count, 3)
        let (late, malay, quiet) = (ids[2], ids[1], ids[0])
        try gateway.move(quiet, to: "resolved")
        XCTAssertEqual(try gateway.ticketAction(malay, "assignment", #"{"assignee": "siti@example.com"}"#).status, 200)

        func listed(_ query: String) throws -> [Int64] {
            try gateway.conversationTickets("channel=whatsapp&\(query)").compactMap { $0["id"]?.int64Value }
        }
        XCTAssertEqual(try listed("sla=breached"), [late], "overdue before the scheduler has recorded it")
        XCTAssertEqual(try listed("sla=due_soon"), [malay])
        XCTAssertEqual(try listed("sla=ok"), [quiet], "a resolved ticket has no running clock")
        XCTAssertEqual(try listed("language=ms"), [malay])
        XCTAssertEqual(try listed("language=en"), [late])
        XCTAssertEqual(try listed("unassigned=true"), [quiet, late])
        XCTAssertEqual(try listed("unassigned=false"), [malay])
        XCTAssertEqual(try listed("unassigned=true&sla=breached&language=en"), [late])
        XCTAssertEqual(try listed("unassigned=true&status=open"), [late], "combined with the equality filters")

        // Ten minutes on, the second ticket's first-response clock has passed too.
        gateway.advance(minutes: 10)
        XCTAssertEqual(try listed("sla=breached"), [malay, late])
        XCTAssertEqual(try listed("sla=due_soon"), [])
    }

    func testBadInboxFilterValuesAreNamed() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        for (query, field) in [("sla=late", "sla"), ("sla=", "sla"), ("language=EN", "language"),
                               ("language=e%27n", "language"), ("language=english", "language"),
                               ("unassigned=yes", "unassigned"), ("unassigned=true&assignee=a%40b.c", "unassigned")] {
            let response = try gateway.admin("GET", "/v1/tickets?\(query)")
            XCTAssertEqual(response.status, 400, "\(query): \(response.text)")
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", query)
            XCTAssertTrue(response.text.contains("\"\(field)\""), "\(query): \(response.text)")
        }
        let all = try gateway.admin("GET", "/v1/tickets?sla=x&language=X&unassigned=x")
        XCTAssertEqual(all.status, 400)
        for field in ["sla", "language", "unassigned"] { XCTAssertTrue(all.text.contains("\"\(field)\""), all.text) }
    }
}
