import Foundation
import XCTest

/// What users and newcomers read — README, configuration, alert rules, templates, the OpenAPI file and the comments of
/// the code and its tests — describes the product's behaviour. It never points at planning documents they cannot see:
/// issue numbers, requirement-document numbers and their row ids, or files that are not in the repository.
final class DocumentationTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static let citations: [(name: String, pattern: String)] = [
        ("an issue number", #"\b[Ii]ssues? #?[0-9]+|\bissue-[0-9]+"#),
        ("a requirement document number", #"\b[Ss]eed[ -]?0[0-9][0-9]\b|\b[Ss]eed rows? [0-9]|\bthe seed's\b"#),
        ("a requirement row id", #"\b(AC|ERR|NEG)-[0-9]+\b|\bCDTC-"#),
        ("a file outside the repository", #"CONTRACT\.md"#),
    ]

    private func readableFiles() throws -> [URL] {
        let places = ["README.md", "BENCHMARKS.md", "openapi.yaml", "Dockerfile", "Config", "Templates", "Sources",
                      "Adapters", "Tests", "scripts", "docs"]
        var files: [URL] = []
        for place in places {
            let url = root.appendingPathComponent(place)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else { files.append(url); continue }
            let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
            while let file = walker?.nextObject() as? URL {
                if ["swift", "md", "json", "yml", "yaml", "sh", "h"].contains(file.pathExtension) { files.append(file) }
            }
        }
        return files
    }

    func testNothingUsersReadCitesIssuesRequirementDocumentsOrMissingFiles() throws {
        let files = try readableFiles()
        XCTAssertGreaterThan(files.count, 100, "the walk found the repository")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                for citation in Self.citations where line.range(of: citation.pattern, options: .regularExpression) != nil {
                    let path = file.path.replacingOccurrences(of: root.path + "/", with: "")
                    found.append("\(path):\(number + 1) cites \(citation.name): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(found, [], found.joined(separator: "\n"))
    }
}
