import Foundation
import GatewayTestSupport
import XCTest

/// Every string a page asks for by name exists in the console's table, in English and in Bahasa Malaysia.
final class ConsoleStringsTests: XCTestCase {
    func testEveryStringThePagesUseHasBothLanguages() throws {
        let folder = URL(fileURLWithPath: TestGateway.repositoryFile("Console/assets"))
        let table = try String(contentsOf: folder.appendingPathComponent("i18n.js"), encoding: .utf8)
        let entry = try NSRegularExpression(pattern: #"^  (\w+): \['((?:[^'\\]|\\.)+)', '((?:[^'\\]|\\.)+)'\],$"#,
                                            options: .anchorsMatchLines)
        let defined = Set(entry.matches(in: table, range: NSRange(table.startIndex..., in: table)).map {
            String(table[Range($0.range(at: 1), in: table)!])
        })
        XCTAssertGreaterThan(defined.count, 50)
        let use = try NSRegularExpression(pattern: #"\bt\('(\w+)'"#)
        var used: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".js") {
            let code = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for match in use.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
                used.insert(String(code[Range(match.range(at: 1), in: code)!]))
            }
        }
        XCTAssertGreaterThan(used.count, 20)
        XCTAssertEqual(used.subtracting(defined).sorted(), [], "strings used but not defined in both languages")
        let index = try String(contentsOfFile: TestGateway.repositoryFile("Console/index.html"), encoding: .utf8)
        for key in ["skip_to_content", "loading"] {
            XCTAssertTrue(index.contains("data-i18n=\"\(key)\""))
            XCTAssertTrue(defined.contains(key))
        }
    }
}
