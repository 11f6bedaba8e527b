import GatewayKit
import GatewayTesting
import WhatsAppAdapter
import XCTest

/// The ingress shape check: which field a 400 names for each kind of broken envelope.
final class WhatsAppEnvelopeTests: XCTestCase {
    private func problems(_ text: String) throws -> [FieldError] {
        WhatsAppEnvelope.validate(try JSONParser.parse(Array(text.utf8)))
    }

    func testEveryFixtureIsAnAcceptableEnvelope() throws {
        for fixture in [WhatsAppFixtures.textBatch, WhatsAppFixtures.mixedBatch, WhatsAppFixtures.bsuidOnly,
                        WhatsAppFixtures.nonASCII, WhatsAppFixtures.statuses, WhatsAppFixtures.systemChanges,
                        WhatsAppFixtures.poisonBatch] {
            XCTAssertEqual(try problems(fixture), [])
        }
        XCTAssertEqual(try problems(#"{"object":"whatsapp_business_account","entry":[]}"#), [])
    }

    func testRootMustBeAnObject() throws {
        XCTAssertEqual(try problems("[1,2]"), [FieldError(field: "body", message: "must be a JSON object, got array")])
        XCTAssertEqual(try problems("\"x\"").map(\.field), ["body"])
    }

    func testObjectAndEntryAreRequiredWithTheirTypes() throws {
        XCTAssertEqual(try problems(#"{"object":"whatsapp_business_account"}"#),
                       [FieldError(field: "entry", message: "is required")])
        XCTAssertEqual(try problems(#"{"object":1,"entry":[]}"#),
                       [FieldError(field: "object", message: "must be a string, got number")])
        XCTAssertEqual(try problems(#"{"entry":{}}"#), [
            FieldError(field: "object", message: "is required"),
            FieldError(field: "entry", message: "must be an array, got object"),
        ])
    }

    func testEntriesAndChangesAreNamedByIndex() throws {
        XCTAssertEqual(try problems(#"{"object":"whatsapp_business_account","entry":[{"changes":"x"}]}"#),
                       [FieldError(field: "entry[0].changes", message: "must be an array, got string")])
        let body = #"""
        {"object": "whatsapp_business_account", "entry": [
          {"id": "1", "changes": [{"field": "messages", "value": {}}]},
          "nope",
          {"id": "3"},
          {"id": "4", "changes": [
            {"field": "messages", "value": {}},
            {"field": 5, "value": []},
            {"value": {}},
            3
          ]}
        ]}
        """#
        XCTAssertEqual(try problems(body), [
            FieldError(field: "entry[1]", message: "must be an object, got string"),
            FieldError(field: "entry[2].changes", message: "is required"),
            FieldError(field: "entry[3].changes[1].value", message: "must be an object, got array"),
            FieldError(field: "entry[3].changes[1].field", message: "must be a string, got number"),
            FieldError(field: "entry[3].changes[2].field", message: "is required"),
            FieldError(field: "entry[3].changes[3]", message: "must be an object, got number"),
        ])
    }

    func testMessageLevelProblemsAreLeftToTheNormalizer() throws {
        // A poison message must not make Meta re-send (and us refuse) the whole batch.
        XCTAssertEqual(try problems(WhatsAppFixtures.poisonBatch), [])
        let body = #"{"object":"x","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":5}]}}]}]}"#
        XCTAssertEqual(try problems(body), [])
    }

    func testProblemListIsCapped() throws {
        let entries = Array(repeating: "1", count: 500).joined(separator: ",")
        let found = try problems(#"{"object":"whatsapp_business_account","entry":["# + entries + "]}")
        XCTAssertEqual(found.count, WhatsAppEnvelope.maxErrors)
        XCTAssertEqual(found.first?.field, "entry[0]")
    }
}
