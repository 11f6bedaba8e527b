import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPTesting
import Ingress
import Retail
import XCTest

/// Thirty simulated days of the daily renewal job (March 2026) on the gateway's clock, sends answered by a stub Cloud
/// API on 127.0.0.1: outlets with different expiry dates and time zones, a phone shared by two outlets (frequency
/// cap), one renewed by a POS push mid-way (its reminder waiting for quiet hours withdrawn), one phone opting out and
/// back in by signed WhatsApp replies (BERHENTI, MULA), one outlet closed, one without phones, an expired outlet, and the gateway down from 15 to 19 March
/// (catch-up: the latest missed reminder goes, older ones are stale). Asserts every message exactly.
final class RenewalSimulationTests: XCTestCase {
    static let outlets = """
        {"outlets": [
          {"fid": "F1", "franchise_name": "Kopi Co", "oid": "O1", "name": "Kopi Bangsar", "phones": ["+60111000001"],
           "expiry_date": "2026-03-15", "status": "active"},
          {"fid": "F1", "oid": "O2", "name": "Kopi KLCC", "phones": ["+60111000001", "+60111000002"],
           "expiry_date": "2026-03-15", "status": "active"},
          {"fid": "F1", "oid": "O3", "name": "Kopi London", "phones": ["+447700900001"], "expiry_date": "2026-03-20",
           "status": "active", "time_zone": "Europe/London"},
          {"fid": "F1", "oid": "O4", "name": "Kopi Renewed", "phones": ["+60111000003"], "expiry_date": "2026-03-10",
           "status": "active"},
          {"fid": "F1", "oid": "O5", "name": "Kopi Opt", "phones": ["+60111000004", "+60111000005"],
           "expiry_date": "2026-03-18", "status": "active"},
          {"fid": "F1", "oid": "O6", "name": "Kopi Closed", "phones": ["+60111000006"], "expiry_date": "2026-03-20",
           "status": "active"},
          {"fid": "F1", "oid": "O7", "name": "Kopi Catchup", "phones": ["+60111000007"], "expiry_date": "2026-03-25",
           "status": "active"},
          {"fid": "F1", "oid": "O8", "name": "Kopi Stale", "phones": ["+60111000009"], "expiry_date": "2026-03-17",
           "status": "active"},
          {"fid": "F1", "oid": "O9", "name": "Kopi Nophone", "expiry_date": "2026-03-05", "status": "active"},
          {"fid": "F1", "oid": "O10", "name": "Kopi Later", "phones": ["+60111000010"], "expiry_date": "2026-04-29",
           "status": "active"},
          {"fid": "F1", "oid": "O11", "name": "Kopi Suspended", "phones": ["+60111000011"],
           "expiry_date": "2026-03-10", "status": "suspended"},
          {"fid": "F1", "oid": "O12", "name": "Kopi Expired", "phones": ["+60111000012"], "expiry_date": "2026-02-27",
           "status": "expired"}
        ]}
        """

    func testThirtyDaysOfReminders() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.\(index)") }
        let gateway = try TestGateway.renewals(cloud)
        for outlet in try XCTUnwrap(JSONParser.parse(Array(Self.outlets.utf8))["outlets"]?.arrayValue) {
            try gateway.pushOutlet(try XCTUnwrap(outlet["oid"]?.stringValue), JSONWriter.string(outlet))
        }
        let down: Set<Int> = [15, 16, 17, 18, 19]
        for day in 1...30 where !down.contains(day) {
            let date = String(format: "2026-03-%02d", day)
            gateway.runRenewals(on: date)
            if day == 1 {
                // Quiet hours (21:00-09:00 in Kuala Lumpur): the run at 03:00 queues for 09:00, nothing goes earlier.
                XCTAssertEqual(Set(try gateway.rows("""
                    SELECT next_attempt_at AS t FROM outbox WHERE idempotency_key LIKE 'wa:renewal:%'
                    """).map { $0["t"] }), [String(TestGateway.millis(date, "09:00"))])
            }
            if day == 8 {
                // Idempotent: the same day's run again (and the job woken later that day) adds nothing.
                let report = try gateway.write { [scheduler = gateway.app.renewalScheduler, now = gateway.clock.now] in
                    try scheduler.run(at: now, in: $0)
                }
                XCTAssertEqual(report.attempts, [:])
            }
            if day == 3 {
                gateway.moveClock(to: date, "05:00")
                try gateway.pushOutlet("O4", #"{"expiry_date": "2027-03-10"}"#)
            }
            gateway.moveClock(to: date, "09:00")
            gateway.app.renewalJob?.wake()
            gateway.deliverDueMessages()
            gateway.moveClock(to: date, "12:00")
            switch day {
            case 10: try gateway.pushOutlet("O6", #"{"status": "closed"}"#)
            case 12: try gateway.customerSays(" berhenti ", phone: "60111000004")
            case 20: try gateway.customerSays("MULA", phone: "60111000004")
            case 22: try gateway.pushOutlet("O8", #"{"expiry_date": "2027-03-17"}"#)
            default: break
            }
        }
        XCTAssertEqual(try Self.messages(gateway), Self.expectedMessages)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM ticket_messages"), [["n": "0"]],
                       "the opt-out and opt-in replies open no support ticket")
        XCTAssertEqual(cloud.received.count, Self.expectedMessages.filter { $0.hasSuffix("sent accepted") }.count)
        XCTAssertEqual(try gateway.rows("""
            SELECT r.oid, a.offset_days, a.phone, a.result FROM renewal_attempts a JOIN renewals r ON r.id = a.renewal_id
            WHERE a.message_id IS NULL ORDER BY r.oid, a.offset_days
            """).map { "\($0["oid"]!) \($0["offset_days"]!) \($0["phone"]!) \($0["result"]!)" }, [
            "O12 -14 60111000012 skipped_stale", "O12 -7 60111000012 skipped_stale",
            "O2 -14 60111000001 skipped_cap", "O2 -7 60111000001 skipped_cap", "O2 -1 60111000001 skipped_cap",
            "O2 3 60111000001 skipped_cap",
            "O5 -1 60111000004 skipped_opt_out",
            "O8 -1 60111000009 skipped_stale",
            "O9 -14  skipped_stale", "O9 -7  skipped_no_phone", "O9 -1  skipped_no_phone", "O9 3  skipped_no_phone",
        ])
        XCTAssertEqual(try gateway.rows("SELECT oid, status, stop_reason, renewed_after_reminder, renewed_after_expiry, "
                                        + "new_expiry_date FROM renewals ORDER BY length(oid), oid").map(Self.cycle), [
            "O1 lapsed", "O2 lapsed", "O3 lapsed", "O4 renewed reminded=1 late=0 new=2027-03-10", "O5 lapsed",
            "O6 stopped closed", "O7 open", "O8 renewed reminded=1 late=1 new=2027-03-17", "O9 lapsed", "O10 open",
            "O12 lapsed",
        ])
        let summary = try XCTUnwrap(gateway.admin("GET", "/v1/renewals/summary?from=2026-02-01&to=2026-04-30").json)
        XCTAssertEqual(summary["renewals"], 11)
        XCTAssertEqual(summary["reminded"], 9)
        XCTAssertEqual(summary["renewed_after_reminder"], 2)
        XCTAssertEqual(summary["renewed_without_reminder"], 0)
        XCTAssertEqual(summary["failed_renewals"], 8)
        XCTAssertEqual(summary["recovered"], 1)
        XCTAssertEqual(summary["recovery_rate"], .number(0.125))
        XCTAssertEqual(summary["by_status"], ["open": 2, "renewed": 2, "lapsed": 6, "stopped": 1, "opted_out": 0,
                                             "customer_replied": 0])
        let metrics = try gateway.request("GET", "/metrics").text
        for line in ["gateway_renewal_reminders_total{result=\"skipped_cap\"} 4", "gateway_renewals{status=\"renewed\"} 2",
                     "gateway_renewals_renewed{after_reminder=\"true\"} 2",
                     "gateway_renewal_opt_outs_total{action=\"opt_out\"} 1",
                     "gateway_renewal_opt_outs_total{action=\"opt_in\"} 1"] {
            XCTAssertTrue(metrics.contains(line), line)
        }
    }

    /// `<sent_at UTC> <to> <template> <language> <parameters> <attempt result> <message status>`, by time and phone.
    static func messages(_ gateway: TestGateway) throws -> [String] {
        try gateway.rows("""
            SELECT a.sent_at, a.result, m.recipient, m.template_name, m.language, m.request_body, m.status
            FROM renewal_attempts a JOIN whatsapp_outbound_messages m ON m.id = a.message_id
            ORDER BY a.sent_at, m.recipient
            """).map { row in
            let body = try JSONParser.parse(Array(row["request_body"]!.utf8))
            let parameters = body["template"]?["components"]?.arrayValue?.first?["parameters"]?.arrayValue?
                .compactMap { $0["text"]?.stringValue } ?? []
            let time = Date(timeIntervalSince1970: Double(row["sent_at"]!)! / 1000)
                .formatted(Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false))
            return "\(time.prefix(16)) \(row["recipient"]!) \(row["template_name"]!) \(row["language"]!) "
                + "\(parameters.joined(separator: "|")) \(row["result"]!) \(row["status"]!)"
        }
    }

    static func cycle(_ row: [String: String]) -> String {
        var text = "\(row["oid"]!) \(row["status"]!)"
        if let reason = row["stop_reason"] { text += " \(reason)" }
        if let reminded = row["renewed_after_reminder"] { text += " reminded=\(reminded)" }
        if let late = row["renewed_after_expiry"] { text += " late=\(late)" }
        if let new = row["new_expiry_date"] { text += " new=\(new)" }
        return text
    }

    static let expectedMessages = [
        "2026-03-01T01:00 60111000001 renewal_reminder_before en Kopi Bangsar|15/03/2026 sent accepted",
        "2026-03-01T01:00 60111000002 renewal_reminder_before en Kopi KLCC|15/03/2026 sent accepted",
        "2026-03-01T01:00 60111000003 renewal_reminder_before en Kopi Renewed|10/03/2026 sent accepted",
        "2026-03-01T01:00 60111000012 renewal_reminder_before en Kopi Expired|27/02/2026 sent accepted",
        "2026-03-02T01:00 60111000012 renewal_reminder_after en Kopi Expired|27/02/2026 sent accepted",
        "2026-03-03T01:00 60111000003 renewal_reminder_before en Kopi Renewed|10/03/2026 cancelled failed",
        "2026-03-03T01:00 60111000009 renewal_reminder_before en Kopi Stale|17/03/2026 sent accepted",
        "2026-03-04T01:00 60111000004 renewal_reminder_before en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-04T01:00 60111000005 renewal_reminder_before en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-06T01:00 60111000006 renewal_reminder_before en Kopi Closed|20/03/2026 sent accepted",
        "2026-03-06T19:00 447700900001 renewal_reminder_before en Kopi London|20/03/2026 sent accepted",
        "2026-03-08T01:00 60111000001 renewal_reminder_before en Kopi Bangsar|15/03/2026 sent accepted",
        "2026-03-08T01:00 60111000002 renewal_reminder_before en Kopi KLCC|15/03/2026 sent accepted",
        "2026-03-10T01:00 60111000009 renewal_reminder_before en Kopi Stale|17/03/2026 sent accepted",
        "2026-03-11T01:00 60111000004 renewal_reminder_before en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-11T01:00 60111000005 renewal_reminder_before en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-11T01:00 60111000007 renewal_reminder_before en Kopi Catchup|25/03/2026 sent accepted",
        "2026-03-13T19:00 447700900001 renewal_reminder_before en Kopi London|20/03/2026 sent accepted",
        "2026-03-14T01:00 60111000001 renewal_reminder_before en Kopi Bangsar|15/03/2026 sent accepted",
        "2026-03-14T01:00 60111000002 renewal_reminder_before en Kopi KLCC|15/03/2026 sent accepted",
        // Back from the downtime on the 20th: London's D-1 (its 19th) goes at once, not in quiet hours there.
        "2026-03-19T19:00 447700900001 renewal_reminder_before en Kopi London|20/03/2026 sent accepted",
        "2026-03-20T01:00 60111000001 renewal_reminder_after en Kopi Bangsar|15/03/2026 sent accepted",
        "2026-03-20T01:00 60111000002 renewal_reminder_after en Kopi KLCC|15/03/2026 sent accepted",
        "2026-03-20T01:00 60111000005 renewal_reminder_before en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-20T01:00 60111000007 renewal_reminder_before en Kopi Catchup|25/03/2026 sent accepted",
        "2026-03-20T01:00 60111000009 renewal_reminder_after en Kopi Stale|17/03/2026 sent accepted",
        "2026-03-21T01:00 60111000004 renewal_reminder_after ms Kopi Opt|18/03/2026 sent accepted",
        "2026-03-21T01:00 60111000005 renewal_reminder_after en Kopi Opt|18/03/2026 sent accepted",
        "2026-03-23T19:00 447700900001 renewal_reminder_after en Kopi London|20/03/2026 sent accepted",
        "2026-03-24T01:00 60111000007 renewal_reminder_before en Kopi Catchup|25/03/2026 sent accepted",
        "2026-03-28T01:00 60111000007 renewal_reminder_after en Kopi Catchup|25/03/2026 sent accepted",
    ]
}
