import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The analytics page in real Chromium: an admin sees the figures of tickets that arrived over WhatsApp as SVG
/// charts and tables, changes the period and the grouping, downloads the same figures as CSV, and is shown the API's
/// word on a bad range next to the field; a user limited to one outlet sees that outlet's figures only; an agent is
/// not offered the page; the language switch.
final class AnalyticsBrowserTests: BrowserTestCase {
    override func configure(_ config: inout GatewayConfig) {
        // The browser's days are UTC days (the machine's zone); Abidjan keeps UTC all year, so the organisation
        // counts the same days.
        do {
            try ConfigLoader.apply(json: Array(#"{"analytics": {"time_zone": "Africa/Abidjan"}}"#.utf8), origin: "test", to: &config)
        } catch {
            XCTFail("\(error)")
        }
    }

    /// Three customers write today: the owner of outlet O7 (its phone is on the outlet, so the ticket is linked to
    /// it) and two customers linked to no outlet.
    private func threeTickets() throws {
        try gateway.pushOutlet("O7", name: "Kopi Co Bangsar", phones: ["+60111000007"])
        try gateway.customerSays("My invoice is wrong", phone: "60111000007", name: "Owner Bangsar")
        try gateway.customerSays("Where is my order?", phone: "60111000001", name: "Aisyah")
        try gateway.customerSays("The printer is offline", phone: "60111000002", name: "Ben")
    }

    /// An agent answers the first ticket four minutes after it opened.
    private func firstResponseAfterFourMinutes() throws {
        let first = try XCTUnwrap(gateway.conversationTickets().compactMap { $0["id"]?.int64Value }.min())
        gateway.advance(minutes: 4)
        let reply = try gateway.admin("POST", "/v1/tickets/\(first)/messages", body: #"{"actor": "agent-7", "text": "Looking into it"}"#)
        XCTAssertTrue([200, 201, 202].contains(reply.status), reply.text)
    }

    /// The UTC date `days` ago, as the page writes it into the API's parameters.
    private func day(_ daysAgo: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400))
    }

    private func count(_ selector: String) throws -> Int {
        Int(try browser.run("return document.querySelectorAll(arguments[0]).length", [.string(selector)]).int64Value ?? -1)
    }

    private func attribute(_ name: String, of selector: String) throws -> String {
        try browser.run("return document.querySelector(arguments[0]).getAttribute(arguments[1])",
                        [.string(selector), .string(name)]).stringValue ?? ""
    }

    func testAnAdminSeesTheChartsAndDownloadsTheFiguresAsCSV() throws {
        try threeTickets()
        try firstResponseAfterFourMinutes()
        try signedIn(as: "admin", at: "/console/analytics", page: "analytics")
        try browser.wait(for: "#figure-tickets .figures dd", containing: "3")
        XCTAssertTrue(try browser.text(of: "#analytics-scope").contains("every outlet"))
        XCTAssertTrue(try browser.text(of: "#analytics-zone").contains("Africa/Abidjan"))

        // The last 30 days by day: a line with a point a day, today's at 3, named for screen readers, and the same
        // numbers as a table.
        XCTAssertEqual(try count("#chart-tickets svg circle"), 30)
        let labelledBy = try attribute("aria-labelledby", of: "#chart-tickets svg")
        XCTAssertEqual(try attribute("role", of: "#chart-tickets svg"), "img")
        XCTAssertEqual(try browser.run("return document.getElementById(arguments[0]).textContent",
                                       [.string(String(labelledBy.split(separator: " ")[0]))]).stringValue, "Tickets opened")
        XCTAssertTrue(try browser.run("return document.querySelector('#chart-tickets svg circle:last-of-type title').textContent")
            .stringValue?.hasSuffix("Opened 3") == true)
        XCTAssertEqual(try count("#chart-tickets details table tbody tr"), 30)
        XCTAssertEqual(try count("#figure-response-times svg polyline"), 2, "first response and resolution")
        XCTAssertEqual(try browser.text(of: "#figure-response-times .figures dd"), "4 min", "the median first response")
        XCTAssertEqual(try count("#chart-backlog svg rect"), 5, "the backlog by age")
        try browser.wait(for: "#figure-backlog .figures dd", containing: "3")
        for figure in ["tickets", "response-times", "backlog", "csat", "outlets", "renewals", "leads"] {
            XCTAssertNotNil(try browser.find("#figure-\(figure) svg[role=img]"), "\(figure) has its chart")
        }
        XCTAssertTrue(try browser.text(of: "table[data-figure=outlets]").contains("F1/O7"))

        // The CSV link carries the page's parameters, and what it downloads is the API's table.
        let href = try attribute("href", of: "a[data-csv=tickets]")
        XCTAssertEqual(href, "/v1/analytics/tickets.csv?from=\(day(29))&to=\(day(0))&group_by=day")
        let downloaded = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], { credentials: 'same-origin' }).then((r) => r.text()).then(done);
            """, [.string(href)]).stringValue ?? ""
        XCTAssertEqual(downloaded, try gateway.admin("GET", href).text)
        XCTAssertTrue(downloaded.hasPrefix("period,opened,"), downloaded)
        XCTAssertTrue(downloaded.contains("\(day(0)),3,"), downloaded)
        try recordTiming("analytics")
        try browser.run("window.scrollTo(0, 0)")
        try capture("analytics", ready: "analytics")

        // The last 7 days by category: bars by value; figures without that dimension keep their own grouping.
        try browser.choose("7", in: "#analytics-period")
        try browser.choose("category", in: "#analytics-group-by")
        try browser.click("#analytics-filters button[type=submit]")
        try browser.wait(until: "return location.search.includes('group_by=category')", "the grouping in the address")
        try waitForPage("analytics")
        try browser.wait(for: "#figure-tickets .figures dd", containing: "3")
        XCTAssertGreaterThanOrEqual(try count("#chart-tickets svg rect"), 1)
        XCTAssertEqual(try count("#chart-tickets svg circle"), 0)
        XCTAssertEqual(try attribute("href", of: "a[data-csv=tickets]"),
                       "/v1/analytics/tickets.csv?from=\(day(6))&to=\(day(0))&group_by=category")
        XCTAssertEqual(try attribute("href", of: "a[data-csv=backlog]"), "/v1/analytics/backlog.csv?from=\(day(6))&to=\(day(0))")
        XCTAssertEqual(try browser.text(of: "table[data-figure=renewals] tbody th"), "Whole period",
                       "renewals have no categories: their figures are for the whole range")

        // Custom dates the wrong way round: the API's answer is shown next to the field it names.
        try browser.choose("custom", in: "#analytics-period")
        try browser.run("document.querySelector('#analytics-from').value = arguments[0];"
                        + "document.querySelector('#analytics-to').value = arguments[1];", [.string(day(0)), .string(day(1))])
        try browser.click("#analytics-filters button[type=submit]")
        try waitForPage("analytics")
        try browser.wait(for: "#analytics-from-error", containing: "must not be after to")
        XCTAssertEqual(try attribute("aria-invalid", of: "#analytics-from"), "true")
    }

    func testAUserLimitedToOneOutletSeesItsFiguresOnly() throws {
        try threeTickets()
        try gateway.user(email: "o7@example.com", password: Self.password, role: "admin", scope: ["F1/O7"])
        try open("/console/login?next=%2Fconsole%2Fanalytics")
        try signIn("o7@example.com")
        try waitForPage("analytics")
        XCTAssertTrue(try browser.text(of: "#analytics-scope").contains("F1/O7"))
        try browser.wait(for: "#figure-tickets .figures dd", containing: "1")
        XCTAssertEqual(try browser.text(of: "#figure-tickets .figures dd"), "1", "the two unlinked tickets are not theirs")
    }

    func testAnAgentIsNotOfferedAnalytics() throws {
        try signedIn(as: "agent")
        XCTAssertNil(try browser.find(".bar nav a[data-nav=analytics]"))
        XCTAssertNotNil(try browser.find(".bar nav a[data-nav=segments]"), "agents see segments")
        try open("/console/analytics", page: "analytics")
        XCTAssertEqual(try browser.text(of: "main .notice"), "Your role cannot open this page.")
        XCTAssertEqual(try gateway.admin("GET", "/v1/analytics/tickets", token: try gateway.token(role: "agent")).status, 403,
                       "and the API refuses it anyway")
    }

    func testTheAnalyticsPageInBahasaMalaysia() throws {
        try threeTickets()
        try signedIn(as: "admin", at: "/console/analytics", page: "analytics")
        try assertInBahasaMalaysia(page: "analytics", heading: "Analitik", englishHeading: "Analytics", [
            ("a[data-csv=tickets]", "Muat turun CSV"), ("#heading-tickets", "Tiket dibuka"),
            ("label[for=analytics-period]", "Tempoh"), (".bar nav a[data-nav=analytics]", "Analitik"),
        ])
    }
}
