import Foundation
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// An onboarding invite fetched over HTTP and parsed back by RFC 5545's rules: every line ends with CRLF and holds at
/// most 75 octets; folded lines (CRLF + one space) are joined; each property is `NAME[;PARAMS]:VALUE`, TEXT values
/// unescaped.
struct Invite {
    let properties: [(name: String, value: String)]
    let raw: [UInt8]

    init(_ gateway: TestGateway, _ ticketID: Int64, file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try gateway.admin("GET", "/v1/tickets/\(ticketID)/onboarding.ics")
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "text/calendar; charset=utf-8", file: file, line: line)
        raw = response.body
        let text = try XCTUnwrap(String(bytes: raw, encoding: .utf8), file: file, line: line)
        XCTAssertTrue(text.hasSuffix("\r\n"), file: file, line: line)
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for physicalLine in physical {
            XCTAssertLessThanOrEqual(physicalLine.utf8.count, 75, physicalLine, file: file, line: line)
            XCTAssertFalse(physicalLine.contains("\n") || physicalLine.contains("\r"), file: file, line: line)
        }
        var logical: [String] = []
        for physicalLine in physical {
            if physicalLine.hasPrefix(" "), !logical.isEmpty {
                logical[logical.count - 1] += physicalLine.dropFirst()
            } else {
                logical.append(physicalLine)
            }
        }
        properties = logical.compactMap { line in
            guard let colon = Self.valueColon(line) else { return nil }
            return (String(line[..<colon]), Self.unescaped(String(line[line.index(after: colon)...])))
        }
        XCTAssertEqual(properties.first?.value, "VCALENDAR", file: file, line: line)
        XCTAssertEqual(properties.last?.value, "VCALENDAR", file: file, line: line)
    }

    /// The value of the first property named `name` (with its parameters, as written).
    subscript(name: String) -> String? { properties.first { $0.name == name }?.value }

    /// The colon that starts the value: the first one outside a quoted parameter value.
    private static func valueColon(_ line: String) -> String.Index? {
        var quoted = false
        for index in line.indices {
            if line[index] == "\"" { quoted.toggle() }
            if line[index] == ":" && !quoted { return index }
        }
        return nil
    }

    private static func unescaped(_ value: String) -> String {
        var out = ""
        var escaping = false
        for character in value {
            if escaping {
                out.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
