import Foundation
import GatewayTestSupport
import Messaging
import Retail
import XCTest

/// Free-form texts are data checked at start-up against what the features declare: a missing file, language or
/// field, an unknown one, or placeholders that do not match stop the gateway naming the file and the field.
final class WhatsAppTextCatalogTests: XCTestCase {
    private let greeting = WhatsAppTextSet(name: "greeting", fields: ["body": 1, "button": 0])
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("texts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ json: String) throws {
        try Data(json.utf8).write(to: directory.appendingPathComponent("\(name).json"))
    }

    /// `file: field: message` lines (file without the folder), or [] when the folder loads.
    private func problems(_ sets: [WhatsAppTextSet]) -> [String] {
        do {
            _ = try WhatsAppTextCatalog.load(directory: directory.path, sets: sets, defaultLanguage: "en")
            return []
        } catch {
            return error.problems.map {
                "\(URL(fileURLWithPath: $0.file).lastPathComponent): \($0.field): \($0.message)"
            }
        }
    }

    func testTextsFillTheirPlaceholdersAndFallBackToTheDefaultLanguage() throws {
        try write("greeting", """
            {"_comment": "x", "name": "greeting", "languages": {
              "en": {"body": "Hi {{1}}", "button": "Go"}, "ms": {"body": "Hai {{1}}", "button": "Pergi"}}}
            """)
        let catalog = try WhatsAppTextCatalog.load(directory: directory.path, sets: [greeting], defaultLanguage: "en")
        let malay = catalog.texts(greeting, language: "ms")
        XCTAssertEqual([malay.language, malay.text("body", "Aisyah"), malay.text("button")],
                       ["ms", "Hai Aisyah", "Pergi"])
        for language in [nil, "fr"] as [String?] {
            XCTAssertEqual(catalog.texts(greeting, language: language).text("body", "A"), "Hi A", language ?? "nil")
        }
    }

    func testEveryProblemIsNamed() throws {
        try write("greeting", """
            {"name": "greeting", "colour": "red", "languages": {
              "en": {"body": "Hi", "button": "Go", "footer": "x"}, "fr": {"body": "Salut {{1}}", "button": ""}}}
            """)
        XCTAssertEqual(problems([greeting, WhatsAppTextSet(name: "farewell", fields: ["body": 0])]), [
            "greeting.json: colour: is not a known field (allowed: languages, name)",
            "greeting.json: languages.ms: is missing (every text needs en, ms)",
            "greeting.json: languages.en.footer: is not a known field (allowed: body, button)",
            "greeting.json: languages.en.body: does not use {{1}} although parameters declares 1",
            "greeting.json: languages.fr.button: must not be empty",
            "farewell.json: (file): is missing",
        ])
    }

    func testTheRepositoryTextsLoad() throws {
        let directory = (TestGateway.templatesDirectory as NSString).appendingPathComponent(WhatsAppTextCatalog.folder)
        XCTAssertNoThrow(try WhatsAppTextCatalog.load(directory: directory,
                                                      sets: [OutletChoiceList.texts, RenewalReply.acknowledgement],
                                                      defaultLanguage: "en"))
    }
}
