@testable import CRM
import GatewayKit
import XCTest

/// A record's answer is written member by member on the writer thread: byte for byte the general writer's output
/// of its API form (stored answers are replayed as stored, so the two must never drift).
final class RecordJSONBytesTests: XCTestCase {
    private let linked: RecordLinks = {
        var settings = RecordSettings()
        settings.crmRecordURLBase = "https://crm.example/"
        return RecordLinks(settings)
    }()

    private func record(_ kind: RecordKind, fields: [String: JSONValue] = [:], creatorFlag: String? = "bot",
                        workflow: [String: JSONValue]? = nil) -> StoredRecord {
        var all: [String: JSONValue] = [:]
        for field in kind.fields { all[field.name] = fields[field.name] ?? .null }
        return StoredRecord(kind: kind, id: 42, uniqueID: "0190aa3c-7c1e-7000-8000-000000000001", fields: all,
                            roomID: "room \"1\"", contactID: nil, creatorFlag: creatorFlag, source: "whatsapp",
                            origin: "chatbot", createdAt: 1_783_000_000_123, updatedAt: 1_783_000_000_456, version: 3,
                            deletedAt: nil, workflow: workflow ?? (kind == .ticket ? TicketWorkflowColumns.initial : [:]))
    }

    private func assertSameBytes(_ record: StoredRecord, file: StaticString = #filePath, line: UInt = #line) {
        for links in [RecordLinks(RecordSettings()), linked] {
            XCTAssertEqual(String(decoding: record.jsonBytes(links), as: UTF8.self),
                           JSONWriter.string(record.json(links)), file: file, line: line)
        }
    }

    func testDealsAndTicketsMatchTheGeneralWriter() {
        assertSameBytes(record(.deal, fields: ["name": "POS \\ upgrade\n", "size": .number(1_250.5), "stage": "S"]))
        assertSameBytes(record(.deal, fields: ["name": "D", "size": .number(3_000)], creatorFlag: nil))
        assertSameBytes(record(.ticket, fields: ["name": "T", "status": "open", "due_at": "2026-07-01"],
                               creatorFlag: "agentic_ai"))
        var workflow = TicketWorkflowColumns.initial
        workflow["channel"] = "whatsapp"
        workflow["reopen_count"] = .integer(2)
        workflow["outlet_name"] = "Outlet ü"
        assertSameBytes(record(.ticket, fields: ["name": "T"], workflow: workflow))
    }

    /// Members the kind does not have (no stored record has them) still come out as the general writer writes them.
    func testUnexpectedMembersTakeTheGeneralPath() {
        var extra = record(.deal, fields: ["name": "D"])
        extra.fields["custom"] = "x"
        assertSameBytes(extra)
        var missing = record(.deal, fields: ["name": "D"])
        missing.fields["stage"] = nil
        missing.fields["custom"] = "x"
        assertSameBytes(missing)
        assertSameBytes(record(.ticket, fields: ["name": "T"], workflow: ["channel": "whatsapp"]))
    }
}
