import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// `GET /v1/csat`: ratings aggregated by ticket, by the agent a ticket had when it was resolved, and by outlet
/// (unlinked tickets together), over the surveys sent in a time range.
final class CSATReportTests: WhatsAppGatewayTestCase {
    private var aisyah: Int64 = 0
    private var ben: Int64 = 0
    private var firstRoundAt: Int64 = 0

    /// Aisyah's ticket: resolved by agent-7 (rated 5), reopened, resolved by agent-9 (no answer), linked to outlet
    /// F1/O1. Ben's ticket: unassigned, resolved, rated 2 by typing; never linked.
    override func setUpWithError() throws {
        try super.setUpWithError()
        aisyah = try gateway.openTicket("hello")
        try gateway.customerSays("hi", phone: "60199999999", name: "Ben")
        ben = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)  // newest first
        XCTAssertNotEqual(ben, aisyah)
        firstRoundAt = gateway.clock.now
        try gateway.ticketAction(aisyah, "assignment", #"{"assignee": "agent-7", "actor": "lead-1"}"#)
        try gateway.move(aisyah, to: "resolved")
        try gateway.move(ben, to: "resolved")
        try gateway.customerTaps("csat:T-\(aisyah):5")
        try gateway.customerSays("2", phone: "60199999999", name: "Ben")
        gateway.advance(minutes: 60)
        try gateway.move(aisyah, to: "open")
        try gateway.ticketAction(aisyah, "assignment", #"{"assignee": "agent-9", "actor": "lead-1"}"#)
        try gateway.move(aisyah, to: "resolved")
        let store = gateway.app.store
        let id = aisyah
        try store.database.write { c in
            try c.run("UPDATE tickets SET fid = 'F1', oid = 'O1' WHERE id = ?", [.integer(id)])
        }
        XCTAssertEqual(try gateway.count("csat_surveys"), 3)
    }

    private func groups(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> [JSONValue] {
        let response = try gateway.csatReport(query, file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return response.json?["groups"]?.arrayValue ?? []
    }

    /// `key: count average surveys_sent response_rate` of each group.
    private func summary(_ groups: [JSONValue]) -> [String] {
        groups.map { g in
            ["key", "count", "average", "surveys_sent", "response_rate"].map { name in
                g[name].map { JSONWriter.string($0) } ?? "?"
            }.joined(separator: " ")
        }
    }

    func testByTicket() throws {
        let groups = try groups("group_by=ticket")
        XCTAssertEqual(summary(groups), [#""T-\#(aisyah)" 1 5 2 0.5"#, #""T-\#(ben)" 1 2 1 1"#])
        XCTAssertEqual(groups.first?["ticket_id"]?.int64Value, aisyah)
        XCTAssertEqual(groups.last?["distribution"], ["1": 0, "2": 1, "3": 0, "4": 0, "5": 0])
    }

    func testByAgentAtResolution() throws {
        XCTAssertEqual(summary(try groups("group_by=agent")),
                       [#""agent-7" 1 5 1 1"#, #""agent-9" 0 null 1 0"#, #""unassigned" 1 2 1 1"#])
    }

    func testByOutletWithUnlinkedTicketsTogether() throws {
        let groups = try groups("group_by=outlet")
        XCTAssertEqual(summary(groups), [#""F1/O1" 1 5 2 0.5"#, #""unlinked" 1 2 1 1"#])
        XCTAssertEqual(groups.first?["fid"], "F1")
        XCTAssertEqual(groups.first?["oid"], "O1")
        XCTAssertEqual(groups.last?["oid"], .null)
    }

    /// A caller scoped to an outlet gets the report of that outlet's tickets only: totals too.
    func testAScopedCallerSeesOnlyItsOutletsSurveys() throws {
        let token = try gateway.token(role: "agent", scope: ["F1/O1"])
        let scoped = try gateway.admin("GET", "/v1/csat?group_by=ticket", token: token)
        XCTAssertEqual(scoped.status, 200, scoped.text)
        XCTAssertEqual(scoped.json?["groups"]?.arrayValue?.compactMap { $0["ticket_id"]?.int64Value }, [aisyah])
        XCTAssertEqual(scoped.json?["totals"]?["surveys_sent"], 2, "Ben's unlinked ticket is not counted")
        let other = try gateway.admin("GET", "/v1/csat?group_by=ticket", token: try gateway.token(role: "agent", scope: ["F2"]))
        XCTAssertEqual(other.json?["groups"]?.arrayValue?.count, 0)
    }

    func testTotalsTimeRangeAndLimit() throws {
        let report = try gateway.csatReport("group_by=agent").json
        XCTAssertEqual(report?["totals"]?["count"], 2)
        XCTAssertEqual(report?["totals"]?["average"], 3.5)
        XCTAssertEqual(report?["totals"]?["surveys_sent"], 3)
        XCTAssertEqual(report?["totals"]?["response_rate"], 0.6667)
        XCTAssertEqual(report?["truncated"], false)

        let later = Timestamps.rfc3339(firstRoundAt + 1)
        XCTAssertEqual(summary(try groups("group_by=agent&from=\(later)")), [#""agent-9" 0 null 1 0"#])
        let untilThen = Timestamps.rfc3339(firstRoundAt)
        XCTAssertEqual(try groups("group_by=agent&to=\(untilThen)"), [], "to is exclusive")
        XCTAssertEqual(try groups("group_by=agent&from=30m").count, 1, "durations count back from now")

        let limited = try gateway.csatReport("group_by=agent&limit=1").json
        XCTAssertEqual(limited?["groups"]?.arrayValue?.count, 1)
        XCTAssertEqual(limited?["truncated"], true)
        XCTAssertEqual(limited?["totals"]?["count"], 2, "totals cover every group")
    }
}
