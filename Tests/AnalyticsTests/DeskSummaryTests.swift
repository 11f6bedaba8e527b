import Analytics
import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// The daily and weekly summaries: mailed with a text and an HTML part, once per period, skipped without SMTP.
final class DeskSummaryTests: XCTestCase {
    private var gateway: TestGateway!

    override func tearDown() { gateway = nil }

    /// Monday 2026-11-09, 06:00 in Kuala Lumpur: the first pass at start mails Sunday's and last week's summaries.
    private func start(smtp: SMTPStub?) throws {
        gateway = try TestGateway(clockStart: AnalyticsFixture.at("2026-11-09T06:00:00+08:00")) { config in
            config.analytics.summaryRecipients = ["lead@desk.example", "ops@desk.example"]
            if let smtp {
                config.smtp.url = "smtp://127.0.0.1:\(smtp.port)"
                config.smtp.from = "gateway@desk.example"
            }
        }
    }

    private func summaries() throws -> [[String: String]] {
        try gateway.rows("SELECT kind, period, outcome, recipients FROM analytics_summaries ORDER BY at, kind")
    }

    /// The decoded text and HTML parts of a mail.
    private func parts(_ mail: SMTPStub.Mail) -> (text: String, html: String) {
        var found: [String: String] = [:]
        for part in mail.data.components(separatedBy: "\r\n--") {
            for kind in ["text/plain", "text/html"] where part.contains("Content-Type: \(kind)") {
                let body = part.components(separatedBy: "\r\n\r\n").dropFirst().joined()
                let base64 = body.components(separatedBy: "\r\n").prefix { !$0.hasPrefix("--") }.joined()
                found[kind] = Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        return (found["text/plain"] ?? "", found["text/html"] ?? "")
    }

    func testDailyAndWeeklySummariesAreMailedOncePerPeriodWithTextAndHTML() throws {
        let smtp = try SMTPStub()
        try start(smtp: smtp)
        // A summary is recorded once its mail is accepted: wait for both, not for the mails alone.
        eventually("the summaries missed at start are mailed") {
            smtp.received.count == 2 && (try? self.summaries().count) == 2
        }
        XCTAssertEqual(try summaries().map { "\($0["kind"]!) \($0["period"]!) \($0["outcome"]!)" }.sorted(),
                       ["daily 2026-11-08 sent", "weekly 2026-11-02 sent"])
        XCTAssertEqual(smtp.received[0].recipients.sorted(), ["<lead@desk.example>", "<ops@desk.example>"])

        let fixture = AnalyticsFixture(gateway: gateway)
        try fixture.ticket(.init(opened: "2026-11-09T09:00:00+08:00", status: "resolved", category: "billing",
                                 fid: "F1", oid: "O1", firstResponse: 240, resolution: 3_600, ratings: [4]))
        try fixture.ticket(.init(opened: "2026-11-09T10:00:00+08:00", fid: "F1", oid: "<O2 & co>",
                                 firstResponse: 600))
        gateway.clock.advance(seconds: 26 * 3_600)  // Tuesday 08:00
        _ = gateway.app.deskSummary.runIfDue()  // the job's own loop may get there first
        eventually("Tuesday's daily summary is mailed") {
            smtp.received.count == 3 && (try? self.summaries().count) == 3
        }
        XCTAssertEqual(try summaries().filter { $0["period"] == "2026-11-09" }.map { $0["kind"]! }, ["daily"],
                       "Tuesday: the daily summary only")
        let mail = try XCTUnwrap(smtp.received.last)
        XCTAssertTrue(mail.data.contains("Subject: Daily desk summary 2026-11-09"), mail.data)
        XCTAssertTrue(mail.data.contains("multipart/alternative"))
        let (text, html) = parts(mail)
        XCTAssertTrue(text.contains("  Opened: 2\n"), text)
        XCTAssertTrue(text.contains("  First response, median: 4 min\n"), text)
        XCTAssertTrue(text.contains("  First response within SLA: 50.0 %\n"), text)
        XCTAssertTrue(text.contains("  Resolution, median: 60 min\n"), text)
        XCTAssertTrue(text.contains("  Average: 4.0\n"), text)
        XCTAssertTrue(text.contains("  Total: 1\n"), "the backlog now: the second ticket")
        XCTAssertTrue(html.contains("<th align=\"left\">Opened</th><td>2</td>"), html)

        XCTAssertFalse(gateway.app.deskSummary.runIfDue(), "the day's slot is done")
        gateway.clock.advance(seconds: 3_600)
        XCTAssertFalse(gateway.app.deskSummary.runIfDue())
        XCTAssertEqual(smtp.received.count, 3, "a period is mailed once")
    }

    func testWithoutSMTPTheSummaryIsSkippedAndRecorded() throws {
        try start(smtp: nil)
        eventually("the summaries are recorded as skipped") { (try? self.summaries().count) == 2 }
        XCTAssertEqual(try summaries().map { $0["outcome"]! }, ["skipped", "skipped"])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_desk_summaries_total", [("kind", "daily"), ("outcome", "skipped")]), 1)
    }
}
