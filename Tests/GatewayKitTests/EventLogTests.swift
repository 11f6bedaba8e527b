import Foundation
import GatewayKit
import XCTest

final class EventLogTests: XCTestCase {
    private final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    /// The keys of a logfmt line, in order (values may be quoted and contain spaces).
    private func keys(_ line: String) -> [String] {
        var keys: [String] = []
        var inQuotes = false
        var token = ""
        for character in line {
            if character == "\"" { inQuotes.toggle() }
            if character == "=" && !inQuotes && !token.contains("=") { keys.append(token) }
            if character == " " && !inQuotes { token = "" } else { token.append(character) }
        }
        return keys
    }

    func testEveryKeyAppearsOncePerLine() {
        let lines = Lines()
        let log = EventLog { lines.add($0) }
        log.info("omnichannel_event_not_propagated", ["event": "deal.created", "level": "x", "deal_id": "7",
                                                      "deal_id": "8", "reason": "a b=c"])
        let line = lines.all.first ?? ""
        XCTAssertEqual(keys(line), ["ts", "level", "event", "field.event", "field.level", "deal_id", "field.deal_id",
                                    "reason"], line)
        XCTAssertTrue(line.contains(" event=omnichannel_event_not_propagated "), line)
        XCTAssertTrue(line.contains(" field.event=deal.created "), line)
        XCTAssertTrue(line.hasSuffix(" reason=\"a b=c\"\n"), line)
    }
}
