import Conversations
import Foundation
import GatewayKit
import GatewayTestSupport
import XCTest

/// The ticket's language for templates: the language tag whose keyword lists matched the first message the most.
final class TicketLanguageTests: XCTestCase {
    func testTheMostMatchedLanguageTagWinsAndTiesNameNone() throws {
        let rules = try TicketClassifier.load(path: TestGateway.repositoryFile("Config/ticket-classification.json"),
                                              key: "tickets.classification_file")
        let cases: [(String, String?)] = [
            ("Mesin saya rosak, tak boleh cetak resit", "ms"),
            ("Berapa harga pakej?", "ms"),
            ("My printer is not working", "en"),
            ("How much is the plan?", "en"),
            ("printer rosak", nil),  // one English, one Malay keyword
            ("hello", nil),
            ("", nil),
        ]
        for (text, language) in cases {
            XCTAssertEqual(rules.classify(text).language, language, text)
        }
        XCTAssertNil(TicketClassifier.supportOnly.classify("rosak").language)
    }

    func testAKeywordListedUnderTwoTagsCountsForBoth() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
        try Data(#"{"lead": {"keywords": {"en": ["demo", "price"], "ms": ["demo"]}}}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let rules = try TicketClassifier.load(path: url.path, key: "k")
        XCTAssertNil(rules.classify("demo").language, "en 1, ms 1: a tie")
        XCTAssertEqual(rules.classify("demo price").language, "en")
        XCTAssertEqual(rules.classify("demo price").matched, ["demo", "price"])
    }

    func testTheTicketStoresItAndAnUnknownOneFallsBackToTheDefault() throws {
        let gateway = try TestGateway.tickets()
        try gateway.customerSays("Mesin saya rosak")
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["language"], "ms")
        let id = try XCTUnwrap(ticket["id"]?.int64Value)
        XCTAssertEqual(try gateway.ticketList(id, "history").first?["detail"]?["language"], "ms")
    }
}
