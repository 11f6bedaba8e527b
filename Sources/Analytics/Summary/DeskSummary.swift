import Access
import Foundation
import GatewayKit

/// The desk's summary of one period, as plain text and HTML: volume, first response and resolution medians with
/// the share within SLA, CSAT, the backlog now, the high-touch outlets of the period's month and renewals — the
/// figures of `/v1/analytics/…` for the whole organisation.
struct DeskSummary {
    let title: String
    /// Sections of labelled lines.
    let sections: [(heading: String, lines: [(label: String, value: String)])]

    init(kind: String, from: CalendarDate, to: CalendarDate, desk: AnalyticsDesk) throws {
        let range = ["from": from.description, "to": to.description]
        func figure(_ figure: AnalyticsFigure, _ extra: [String: String] = [:]) throws -> JSONValue {
            try desk.figures(figure, parameters: range.merging(extra) { $1 }, scope: .unrestricted)
        }
        let tickets = try figure(.tickets)["totals"]
        let times = try figure(.responseTimes)["totals"]
        let csat = try figure(.csat)["totals"]
        let backlog = try figure(.backlog)["now"]?["ages"]
        let monthStart = CalendarDate(year: to.year, month: to.month, day: 1)!
        let outlets = try desk.figures(.outlets, parameters: ["from": monthStart.description, "to": to.description,
                                                                "limit": "5"], scope: .unrestricted)
        let renewals = try figure(.renewals)["totals"]

        title = "\(kind == "weekly" ? "Weekly" : "Daily") desk summary \(from == to ? from.description : "\(from) to \(to)")"
        func seconds(_ value: JSONValue?) -> String {
            guard let seconds = value?.int64Value else { return "none" }
            return seconds < 120 ? "\(seconds) s" : seconds < 7_200 ? "\(seconds / 60) min" : "\(seconds / 3_600) h \(seconds % 3_600 / 60) min"
        }
        func share(_ value: JSONValue?) -> String {
            guard let rate = value?.doubleValue else { return "none" }
            return "\((rate * 1_000).rounded() / 10) %"
        }
        func count(_ value: JSONValue?) -> String { String(value?.int64Value ?? 0) }
        let highTouch = (outlets["rows"]?.arrayValue ?? []).filter { $0["high_touch"] == true }
            .map { "\($0["outlet"]?.stringValue ?? "") (\(count($0["tickets"])))" }
        sections = [
            ("Tickets", [("Opened", count(tickets?["opened"])), ("Reopened", count(tickets?["reopened"]))]),
            ("Response times", [
                ("First response, median", seconds(times?["frt"]?["median_seconds"])),
                ("First response within SLA", share(times?["frt"]?["within_sla_rate"])),
                ("Resolution, median", seconds(times?["art"]?["median_seconds"])),
                ("Resolution within SLA", share(times?["art"]?["within_sla_rate"])),
            ]),
            ("CSAT", [("Surveys", count(csat?["surveys"])), ("Responses", count(csat?["responses"])),
                      ("Response rate", share(csat?["response_rate"])),
                      ("Average", csat?["average"]?.doubleValue.map { String($0) } ?? "none")]),
            ("Backlog now", BacklogAge.allCases.map { ($0.rawValue.replacingOccurrences(of: "_", with: " "),
                                                       count(backlog?[$0.rawValue])) }
                + [("Total", count(backlog?["total"]))]),
            ("High-touch outlets this month", [("Outlets", count(outlets["high_touch_outlets"]))]
                + highTouch.map { ("Top", $0) }),
            ("Renewals due", [("Due", count(renewals?["due"])), ("Renewed before expiry",
                                                                   count(renewals?["renewed_before_expiry"])),
                              ("Failed", count(renewals?["failed"])), ("Recovered", count(renewals?["recovered"])),
                              ("Recovery rate", share(renewals?["recovery_rate"])),
                              ("Won back", count(renewals?["won_back"]))]),
        ]
    }

    var text: String {
        ([title, String(repeating: "=", count: title.count)] + sections.flatMap { section in
            ["", section.heading] + section.lines.map { "  \($0.label): \($0.value)" }
        }).joined(separator: "\n") + "\n"
    }

    var html: String {
        var out = "<!DOCTYPE html><html><body><h1>\(Self.escape(title))</h1>"
        for section in sections {
            out += "<h2>\(Self.escape(section.heading))</h2><table>"
            for line in section.lines {
                out += "<tr><th align=\"left\">\(Self.escape(line.label))</th><td>\(Self.escape(line.value))</td></tr>"
            }
            out += "</table>"
        }
        return out + "</body></html>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
