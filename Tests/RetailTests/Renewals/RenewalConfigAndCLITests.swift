import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Retail
import XCTest

/// The `renewals` config keys (bad values name the key) and `gateway renewals run` as an operator runs it.
final class RenewalConfigAndCLITests: XCTestCase {
    func testRenewalKeysLoadAndBadValuesNameTheKey() throws {
        let defaults = GatewayConfig().renewals
        XCTAssertEqual([defaults.offsetsDays, [defaults.horizonDays, defaults.runMinuteOfDay]], [[-14, -7, -1, 3], [60, 180]])
        XCTAssertFalse(defaults.enabled)
        XCTAssertEqual(defaults.quietHours?.description, "21:00-09:00")
        XCTAssertEqual(defaults.replyKeywords, ["RENEW", "PERBAHARUI"])
        XCTAssertEqual(defaults.replyQueue, "renewals")
        let config = try ConfigFixture.load("""
            {"renewals": {"run_time": "04:30", "horizon_days": 90, "offsets_days": [7, -30, 0],
             "max_attempts_per_renewal": 2, "contact_cap": "12h", "quiet_hours": "22:00-08:00",
             "reply_keywords": [" renew ", "Sambung"], "reply_queue": "renewal-team"}}
            """, env: ["RENEWALS_ENABLED": "true"])
        XCTAssertTrue(config.renewals.enabled)
        XCTAssertEqual(config.renewals.runMinuteOfDay, 270)
        XCTAssertEqual(config.renewals.horizonDays, 90)
        XCTAssertEqual(config.renewals.offsetsDays, [-30, 0, 7])
        XCTAssertEqual(config.renewals.maxAttemptsPerRenewal, 2)
        XCTAssertEqual(config.renewals.contactCapMilliseconds, 43_200_000)
        XCTAssertEqual(config.renewals.quietHours, QuietHours("22:00-08:00"))
        XCTAssertEqual(config.renewals.replyKeywords, ["RENEW", "SAMBUNG"])
        XCTAssertEqual(config.renewals.replyQueue, "renewal-team")
        XCTAssertNil(try ConfigFixture.load(#"{"renewals": {"quiet_hours": null, "contact_cap": "0s"}}"#).renewals.quietHours)

        func key(_ renewals: String, env: [String: String] = [:]) -> String? {
            guard case .invalidValue(let key, _)? = ConfigFixture.error(#"{"renewals": \#(renewals)}"#, env: env) else {
                return nil
            }
            return key
        }
        XCTAssertEqual(key(#"{"enabled": "yes"}"#), "renewals.enabled")
        XCTAssertEqual(key("{}", env: ["RENEWALS_ENABLED": "maybe"]), "RENEWALS_ENABLED")
        XCTAssertEqual(key(#"{"run_time": "3am"}"#), "renewals.run_time")
        XCTAssertEqual(key("{}", env: ["RENEWALS_RUN_TIME": "25:00"]), "RENEWALS_RUN_TIME")
        XCTAssertEqual(key(#"{"horizon_days": 0}"#), "renewals.horizon_days")
        XCTAssertEqual(key(#"{"offsets_days": []}"#), "renewals.offsets_days")
        XCTAssertEqual(key(#"{"offsets_days": "-14,-7"}"#), "renewals.offsets_days")
        XCTAssertEqual(key(#"{"offsets_days": [-14, "x"]}"#), "renewals.offsets_days[1]")
        XCTAssertEqual(key(#"{"offsets_days": [-7, 400]}"#), "renewals.offsets_days[1]")
        XCTAssertEqual(key(#"{"offsets_days": [-7, -7]}"#), "renewals.offsets_days[1]")
        XCTAssertEqual(key(#"{"offsets_days": [-90, -7]}"#), "renewals.offsets_days", "before the 60-day horizon")
        XCTAssertEqual(key(#"{"max_attempts_per_renewal": 0}"#), "renewals.max_attempts_per_renewal")
        XCTAssertEqual(key(#"{"contact_cap": 24}"#), "renewals.contact_cap")
        XCTAssertEqual(key(#"{"contact_cap": "31d"}"#), "renewals.contact_cap")
        XCTAssertEqual(key(#"{"quiet_hours": "21-9"}"#), "renewals.quiet_hours")
        XCTAssertEqual(key(#"{"quiet_hours": "09:00-09:00"}"#), "renewals.quiet_hours")
        XCTAssertEqual(key(#"{"reply_keywords": []}"#), "renewals.reply_keywords")
        XCTAssertEqual(key(#"{"reply_keywords": "RENEW"}"#), "renewals.reply_keywords")
        XCTAssertEqual(key(#"{"reply_keywords": ["RENEW", 7]}"#), "renewals.reply_keywords[1]")
        XCTAssertEqual(key(#"{"reply_keywords": ["RENEW", "  "]}"#), "renewals.reply_keywords[1]")
        XCTAssertEqual(key(#"{"reply_keywords": ["RENEW", "renew"]}"#), "renewals.reply_keywords[1]")
        XCTAssertEqual(key(#"{"reply_keywords": ["stop"]}"#), "renewals.reply_keywords[0]", "the opt-out step's")
        XCTAssertEqual(key(#"{"reply_keywords": ["\#(String(repeating: "A", count: 33))"]}"#),
                       "renewals.reply_keywords[0]")
        XCTAssertEqual(key(#"{"reply_queue": ""}"#), "renewals.reply_queue")
        XCTAssertEqual(key(#"{"reply_queue": "Renewals Team"}"#), "renewals.reply_queue")
        XCTAssertEqual(ConfigFixture.error(#"{"renewals": {"offsets": [1]}}"#), .unknownKey("renewals.offsets"))
    }

    func testRenewalsRunCommandRunsOnceAndIsIdempotent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renewals-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("gateway.sqlite").path
        var environment = ["GATEWAY_DB": database]
        let outlets = directory.appendingPathComponent("outlets.csv")
        try Data("""
            fid,franchise_name,oid,name,phones,expiry_date,status
            F1,Kopi Co,O1,Kopi Bangsar,012-3456789,2026-03-15,active
            F1,Kopi Co,O2,Kopi KLCC,,2026-03-20,active

            """.utf8).write(to: outlets)
        XCTAssertEqual(try GatewayProcess.run(["pos", "import", outlets.path], environment: environment).0, 0)

        let (unconfigured, _, complaint) = try GatewayProcess.run(["renewals", "run", "--date", "2026-03-01"],
                                                                  environment: environment)
        XCTAssertEqual(unconfigured, 78)
        XCTAssertTrue(complaint.contains("WHATSAPP_PHONE_NUMBER_ID"), complaint)
        XCTAssertEqual(try DatabaseInspector.rows(path: database, sql: "SELECT count(*) AS n FROM renewals"), [["n": "0"]],
                       "nothing recorded")

        environment["WHATSAPP_PHONE_NUMBER_ID"] = "1234567890"
        let (code, out, _) = try GatewayProcess.run(["renewals", "run", "--date", "2026-03-01"], environment: environment)
        XCTAssertEqual(code, 0)
        XCTAssertTrue(out.contains("2026-03-01: 2 opened, 0 lapsed, 0 opted out; rescheduled 1"), out)
        let (again, repeated, _) = try GatewayProcess.run(["renewals", "run", "--date=2026-03-01"], environment: environment)
        XCTAssertEqual(again, 0)
        XCTAssertTrue(repeated.contains("2026-03-01: 0 opened, 0 lapsed, 0 opted out; no reminders due"), repeated)
        XCTAssertEqual(try DatabaseInspector.rows(path: database, sql: """
            SELECT recipient, template_name FROM whatsapp_outbound_messages WHERE purpose = 'renewal'
            """), [["recipient": "60123456789", "template_name": "renewal_reminder_before"]])

        for arguments in [["renewals", "run", "--date", "2026-02-30"], ["renewals"], ["renewals", "run", "now"],
                          ["renewals", "run", "--limit", "3"]] {
            XCTAssertEqual(try GatewayProcess.run(arguments, environment: environment).0, 64, "\(arguments)")
        }
    }
}
