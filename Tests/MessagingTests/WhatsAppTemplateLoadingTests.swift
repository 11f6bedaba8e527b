import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Messaging
import XCTest

/// Templates are data checked at start-up: a template the Cloud API could not be sent with stops the gateway with
/// a message naming the file and the field.
final class WhatsAppTemplateLoadingTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `name.json` with one BODY per language (and optional extra top-level members).
    private func write(_ name: String, body: String = "Hi {{1}}, ticket {{2}}", parameters: String = #"["a", "b"]"#,
                       languages: [String] = ["en", "ms"], components: String? = nil, extra: String = "") throws {
        let parts = components ?? #"[{"type": "BODY", "text": "\#(body)"}]"#
        let langs = languages.map { #""\#($0)": {"components": \#(parts)}"# }.joined(separator: ", ")
        let json = #"{"name": "\#(name)", "category": "UTILITY", "parameters": \#(parameters), \#(extra)"languages": {\#(langs)}}"#
        try Data(json.utf8).write(to: directory.appendingPathComponent("\(name).json"))
    }

    /// The problems loading the folder reports, as `file: field: message` lines without the folder.
    private func problems(defaultLanguage: String = "en") -> [String] {
        do {
            _ = try WhatsAppTemplateCatalog.load(directory: directory.path, defaultLanguage: defaultLanguage)
            return []
        } catch {
            return error.problems.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent): \($0.field): \($0.message)" }
        }
    }

    func testTheRepositoryTemplatesLoad() throws {
        let catalog = try WhatsAppTemplateCatalog.load(directory: TestGateway.templatesDirectory, defaultLanguage: "en")
        XCTAssertEqual(catalog.templates.keys.sorted(),
                       ["csat_request", "onboarding_cancelled", "onboarding_confirmation", "onboarding_reminder",
                        "onboarding_rescheduled", "renewal_offer", "renewal_reminder_after", "renewal_reminder_before", "segment_promotion",
                        "support_followup"])
        let csat = try XCTUnwrap(catalog.templates["csat_request"])
        XCTAssertEqual(csat.parameters, ["customer_name", "ticket_ref"])
        XCTAssertEqual(csat.quickReplyPayloads, (1...5).map { "csat:{{2}}:\($0)" })
        XCTAssertEqual(csat.languages["ms"]?.quickReplies, ["1", "2", "3", "4", "5"])
        for template in catalog.templates.values {
            XCTAssertEqual(Set(template.languages.keys), ["en", "ms"], template.name)
        }
    }

    func testMissingParameterIsNamed() throws {
        try write("t_missing", body: "Hi {{1}}")
        XCTAssertEqual(problems(), ["t_missing.json: languages.en.components[0].text: does not use {{2}} although parameters declares 2",
                                    "t_missing.json: languages.ms.components[0].text: does not use {{2}} although parameters declares 2"])
    }

    func testExtraParameterIsNamed() throws {
        try write("t_extra", body: "Hi {{1}} {{2}} {{3}}", languages: ["en", "ms"])
        XCTAssertTrue(problems().contains("t_extra.json: languages.en.components[0].text: uses {{3}} but parameters declares 2"))
    }

    func testNonContiguousParametersAreNamed() throws {
        try write("t_gap", body: "Hi {{1}} and {{3}}", parameters: #"["a", "b", "c"]"#)
        XCTAssertTrue(problems().contains(
            "t_gap.json: languages.en.components[0].text: placeholders are not contiguous: {{2}} is missing below {{3}}"))
    }

    func testMalformedPlaceholderIsNamed() throws {
        try write("t_bad", body: "Hi {{name}} {{1}} {{2}}")
        XCTAssertTrue(problems().first?.hasPrefix("t_bad.json: languages.en.components[0].text: has a malformed placeholder") ?? false,
                      "\(problems())")
    }

    func testUnknownComponentIsNamed() throws {
        try write("t_comp", components: #"[{"type": "BODY", "text": "{{1}} {{2}}"}, {"type": "TITLE", "text": "x"}]"#)
        XCTAssertTrue(problems().contains(
            "t_comp.json: languages.en.components[1].type: is not a known component (HEADER, BODY, FOOTER, BUTTONS)"))
    }

    func testMissingLanguageIsNamed() throws {
        try write("t_lang", languages: ["en"])
        XCTAssertEqual(problems(), ["t_lang.json: languages.ms: is missing (every template needs en, ms)"])
    }

    func testDefaultLanguageMustBeInEveryTemplate() throws {
        try write("t_default")
        XCTAssertEqual(problems(defaultLanguage: "zh"), ["t_default.json: languages.zh: is missing (every template needs en, ms, zh)"])
    }

    func testQuickReplyPayloadsMustMatchTheButtons() throws {
        try write("t_buttons", components: #"[{"type": "BODY", "text": "{{1}} {{2}}"}, {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}]}]"#,
                  extra: #""quick_reply_payloads": ["yes:{{2}}", "no:{{2}}"], "#)
        XCTAssertTrue(problems().contains("t_buttons.json: languages.en.components[1].buttons: has 1 quick replies but quick_reply_payloads has 2"))
    }

    func testNameMustMatchTheFileAndUnknownFieldsAreRefused() throws {
        try write("t_name", extra: #""tags": [], "#)
        try FileManager.default.moveItem(at: directory.appendingPathComponent("t_name.json"),
                                         to: directory.appendingPathComponent("other.json"))
        XCTAssertEqual(problems(), ["other.json: tags: is not a known field (allowed: category, languages, name, parameters, quick_reply_payloads)",
                                    "other.json: name: must match the file name (other.json)"])
    }

    func testMissingFolderNamesTheSetting() {
        XCTAssertEqual(problems().isEmpty, true)
        try? FileManager.default.removeItem(at: directory)
        XCTAssertEqual(problems().first?.hasSuffix("whatsapp.templates_dir: cannot read the template folder"), true)
    }

    func testServeRefusesABadTemplateWithExitCode78NamingFileAndField() throws {
        try write("t_missing", body: "Hi {{1}}")
        let database = directory.appendingPathComponent("g.sqlite").path
        let (code, _, stderr) = try GatewayProcess.run(["serve"], environment: [
            "GATEWAY_PORT": "0", "GATEWAY_DB": database, "WHATSAPP_TEMPLATES_DIR": directory.path])
        XCTAssertEqual(code, 78)
        XCTAssertTrue(stderr.contains("t_missing.json: languages.en.components[0].text: does not use {{2}}"), stderr)
    }

    func testServeFromTheRepositoryRootFindsTheTemplates() throws {
        let database = directory.appendingPathComponent("g.sqlite").path
        let child = try GatewayProcess(arguments: ["serve"], environment: [
            "GATEWAY_PORT": "0", "GATEWAY_DB": database, "ADMIN_TOKEN": TestGateway.adminToken])
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)
        let client = CurlMultiClient()
        defer {
            client.shutdown()
            child.signal(SIGTERM)
            _ = child.waitForExit()
        }
        let response = try client.perform(ClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/v1/templates",
                                                        headers: [("Authorization", "Bearer \(TestGateway.adminToken)")])).get()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.json?["items"]?.arrayValue?.count, 10)
    }

    func testDefaultLanguageSettingIsChecked() {
        XCTAssertEqual(ConfigFixture.error(#"{"whatsapp": {"default_language": "English"}}"#),
                       .invalidValue(key: "whatsapp.default_language", reason: "must be a language code like en, ms or en_US"))
        XCTAssertEqual(ConfigFixture.error("{}", env: ["WHATSAPP_DEFAULT_LANGUAGE": "e"]),
                       .invalidValue(key: "WHATSAPP_DEFAULT_LANGUAGE", reason: "must be a language code like en, ms or en_US"))
        XCTAssertEqual(ConfigFixture.error(#"{"whatsapp": {"templates_dir": 5}}"#),
                       .invalidValue(key: "whatsapp.templates_dir", reason: "must be a string"))
        XCTAssertEqual(try ConfigFixture.load("{}", env: ["WHATSAPP_TEMPLATES_DIR": "/t", "WHATSAPP_DEFAULT_LANGUAGE": "ms"]).whatsapp.defaultLanguage, "ms")
    }
}
