import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import XCTest

/// Lead vs support by the EN/BM keyword rules of `Config/ticket-classification.json`, and the
/// settings of the tickets section.
final class TicketClassifierTests: XCTestCase {
    private let key = "tickets.classification_file"

    private func shipped() throws -> TicketClassifier {
        try TicketClassifier.load(path: TestGateway.repositoryFile("Config/ticket-classification.json"), key: key)
    }

    func testShippedRulesInEnglishAndMalay() throws {
        let rules = try shipped()
        let cases: [(String, String)] = [
            ("How much is the POS package?", "lead"),
            ("I'm interested in a demo", "lead"),
            ("Berapa harga pakej ini?", "lead"),
            ("Saya berminat untuk melanggan", "lead"),
            ("Bolehkah saya dapat sebut harga?", "lead"),
            ("My receipt printer is not working", "support"),
            ("Mesin rosak, tak boleh login", "support"),
            ("hello", "support"),
            ("", "support"),
            ("The PRICE shown on my receipt is wrong", "support"),  // 1 lead vs 1 support: a tie is support
        ]
        for (text, kind) in cases {
            XCTAssertEqual(rules.classify(text).kind, kind, text)
        }
        XCTAssertEqual(rules.classify("Berapa harga?").queue, "sales")
        XCTAssertEqual(rules.classify("rosak").queue, "support")
        XCTAssertEqual(rules.classify(nil).kind, "support")
    }

    func testKeywordsMatchWholeWordsAndPhrasesAfterFolding() throws {
        let rules = try TicketClassifier.load(path: try file(#"""
            {"lead": {"queue": "sales-my", "keywords": {"en": ["how much", "demo", "Café"], "ms": ["demo"]}}}
            """#), key: key)
        XCTAssertEqual(rules.classify("HOW   MUCH?!").matched, ["how much"])
        XCTAssertEqual(rules.classify("how is it, much?").kind, "support", "a phrase's words must be consecutive")
        XCTAssertEqual(rules.classify("demonstrate").kind, "support", "whole words only")
        XCTAssertEqual(rules.classify("book a DEMO").matched, ["demo"], "a keyword listed twice counts once")
        XCTAssertEqual(rules.classify("open a cafe").queue, "sales-my", "accents are folded")
        XCTAssertEqual(TicketClassifier.supportOnly.classify("how much").kind, "support")
    }

    /// Plain ASCII messages are read byte by byte, others through folding: both find the same words.
    func testASCIIAndUnicodeMessagesFindTheSameWords() throws {
        let rules = try TicketClassifier.load(path: try file(#"""
            {"lead": {"keywords": {"en": ["how much", "e42", "price"]}}, "support": {"keywords": {"en": ["rosak"]}}}
            """#), key: key)
        let cases: [(String, [String])] = [
            ("How much?e42,PRICE", ["how much", "e42", "price"]),
            ("\thow\n much\u{7F}price", ["how much", "price"]),
            ("how much", ["how much"]),
            ("how", []),
            ("much how", []),
            ("E42", ["e42"]),
            ("E4 2", []),
            ("héllo, HOW much — prïce", ["how much", "price"]),
            ("Hów MÜCH? é42", ["how much", "e42"]),  // accents folded: é42 is e42
        ]
        for (text, matched) in cases {
            XCTAssertEqual(rules.classify(text).matched, matched, text)
        }
        XCTAssertEqual(rules.classify("the printer is ROSAK").matched, ["rosak"])
        XCTAssertEqual(rules.classify("the printer is rosák").matched, ["rosak"])
    }

    func testBadRulesFilesNameTheSetting() throws {
        let bad: [(String, String)] = [
            ("{nope", "not valid JSON"),
            (#"{"vip": {}}"#, "vip is not a class"),
            (#"{"lead": {"keywords": {"en": "price"}}}"#, "lead.keywords.en must be an array"),
            (#"{"lead": {"keywords": {"en": ["?!"]}}}"#, "lead.keywords.en[0] must be a string with at least one"),
            (#"{"lead": {"queue": ""}}"#, "lead.queue must be a string"),
            (#"{"support": {"colour": "red"}}"#, "support.colour is not a known field"),
        ]
        for (json, reason) in bad {
            XCTAssertThrowsError(try TicketClassifier.load(path: try file(json), key: key), json) { error in
                guard case .invalidValue(let named, let message) = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(named, key)
                XCTAssertTrue(message.contains(reason), "\(message) should say \(reason)")
            }
        }
        XCTAssertThrowsError(try TicketClassifier.load(path: "/nonexistent/rules.json", key: key)) { error in
            XCTAssertTrue("\(error)".contains("'tickets.classification_file'"), "\(error)")
        }
    }

    func testMissingRulesFileStopsTheGatewayNamingTheKey() {
        XCTAssertThrowsError(try TestGateway.tickets { $0.tickets.classificationFile = "/nonexistent/rules.json" }) {
            XCTAssertTrue("\($0)".contains("tickets.classification_file"), "\($0)")
        }
    }

    func testTicketSettingsLoadAndBadValuesNameTheKey() throws {
        let config = try ConfigFixture.load(#"""
            {"tickets": {"classification_file": null, "reopen_window": "3d",
                         "sla": {"first_response": "10m", "resolution": "8h", "check_interval": "5s",
                                 "categories": {"billing": {"first_response": "30m"}, "_comment": "x"}}}}
            """#, env: ["EVENTS_URL": "http://127.0.0.1:9/events"])
        XCTAssertNil(config.tickets.classificationFile)
        XCTAssertEqual(config.tickets.reopenWindowMilliseconds, 3 * 86_400_000)
        XCTAssertEqual(config.tickets.firstResponseMilliseconds, 600_000)
        XCTAssertEqual(config.tickets.resolutionMilliseconds, 8 * 3_600_000)
        XCTAssertEqual(config.tickets.slaCheckIntervalMilliseconds, 5_000)
        XCTAssertEqual(config.tickets.categoryTargets, ["billing": TicketSLATargets(firstResponseMilliseconds: 1_800_000)])
        let events = OutboundEndpoint.all(from: config).first { $0.name == "events" }
        XCTAssertEqual(events?.url, "http://127.0.0.1:9/events")
        XCTAssertEqual(try ConfigFixture.load(#"{"outbound": {"endpoints": {"events": {"url": "http://127.0.0.1:8/e"}}}}"#)
                        .outbound.endpoints["events"]?.url, "http://127.0.0.1:8/e")
        XCTAssertTrue(OutboundEndpoint.all(from: GatewayConfig()).first { $0.name == "events" }?
                        .missingURLReason.contains("EVENTS_URL") ?? false)

        let bad: [(String, [String: String], ConfigError)] = [
            (#"{"tickets": {"reopen_window": 7}}"#, [:],
             .invalidValue(key: "tickets.reopen_window", reason: "must be a duration string such as \"5s\"")),
            (#"{"tickets": {"sla": {"first_response": "soon"}}}"#, [:],
             .invalidValue(key: "tickets.sla.first_response", reason: "must be a duration such as 250ms, 5s, 2m, 1h or 7d")),
            (#"{"tickets": {"sla": {"categories": {"billing": {"first_reply": "5m"}}}}}"#, [:],
             .unknownKey("tickets.sla.categories.billing.first_reply")),
            (#"{"tickets": {"sla": {"categories": {"billing": {"resolution": 5}}}}}"#, [:],
             .invalidValue(key: "tickets.sla.categories.billing.resolution",
                           reason: "must be a duration string such as \"5m\"")),
            (#"{"tickets": {"sla": {"categories": []}}}"#, [:],
             .invalidValue(key: "tickets.sla.categories", reason: "must be an object of category names")),
            (#"{"tickets": {"classification_file": 3}}"#, [:],
             .invalidValue(key: "tickets.classification_file", reason: "must be a string or null")),
            (#"{"tickets": {"colour": 3}}"#, [:], .unknownKey("tickets.colour")),
            ("{}", ["EVENTS_URL": "ftp://x"], .invalidValue(key: "EVENTS_URL", reason: "must be an http(s) URL")),
        ]
        for (json, env, expected) in bad {
            XCTAssertEqual(ConfigFixture.error(json, env: env), expected, json)
        }
    }

    /// A temporary rules file with `json` as its content.
    private func file(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}
