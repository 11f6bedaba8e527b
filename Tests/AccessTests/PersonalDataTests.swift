import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// PDPA: a subject-access export holds everything about a person; an erasure removes it everywhere — afterwards the
/// database files and their write-ahead logs (on PostgreSQL: the tables) hold neither the phone, the name nor the
/// BSUID — while counts stay.
final class PersonalDataTests: XCTestCase {
    static let phone = "60177654321"
    static let name = "Nurul Izzati Kamaruddin"
    static let bsuid = "MY.777000111222333"

    private func files(of gateway: TestGateway) -> [String] {
        let main = gateway.app.config.store.path
        let log = gateway.app.config.store.resolvedInboxPath
        return [main, main + "-wal", log, log + "-wal"]
    }

    /// Where `text` is stored: on SQLite the database files that contain it anywhere (free pages and old WAL frames
    /// included); on PostgreSQL, whose files the server's own retention governs, the tables with a row that holds it
    /// (raw bodies searched as their bytes).
    private func holders(of text: String, in gateway: TestGateway) throws -> [String] {
        guard gateway.postgresDatabase != nil else {
            return files(of: gateway).filter { path in
                guard let data = FileManager.default.contents(atPath: path) else { return false }
                return data.range(of: Data(text.utf8)) != nil
            }
        }
        let bodies = try gateway.rows("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type = 'bytea'
            """)
        let tables = try gateway.rows("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            """).compactMap { $0["table_name"] }
        return try tables.filter { table in
            let raw = bodies.filter { $0["table_name"] == table }.compactMap { $0["column_name"] }
                .map { " OR position(convert_to(?, 'UTF8') IN \($0)) > 0" }
            return try !gateway.rows("SELECT 1 AS found FROM \(table) t WHERE strpos(CAST(t AS TEXT), ?) > 0"
                                     + raw.joined() + " LIMIT 1",
                                     Array(repeating: .text(text), count: raw.count + 1)).isEmpty
        }
    }

    func testAnErasedPersonIsGoneFromEveryFileAndTheCountsStay() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.out\(index)") }
        defer { cloud.stop() }
        let gateway = try TestGateway.whatsApp(cloud) { $0.multiBSUIDEnabled = true }
        defer { gateway.shutdown() }
        try gateway.customerSays("my terminal at the Bangsar shop is broken", phone: Self.phone, bsuid: Self.bsuid,
                                 name: Self.name)
        let ticket = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        let reply = try gateway.reply(ticket, #"{"text": "Sorry to hear that, Nurul Izzati Kamaruddin"}"#)
        XCTAssertEqual(reply.status, 202, reply.text)
        try gateway.customerSays("thanks, it is the second terminal", phone: Self.phone, bsuid: Self.bsuid,
                                 name: Self.name)
        let contact = try XCTUnwrap(try gateway.admin("GET", "/v1/tickets/\(ticket)").json?["contact_id"]?.stringValue)
        let consent = try gateway.admin("POST", "/v1/contacts/\(contact)/consents",
                                        body: #"{"status": "withdrawn", "source": "paper form"}"#)
        XCTAssertEqual(consent.status, 200, consent.text)
        for secret in [Self.phone, Self.name, Self.bsuid] {
            XCTAssertFalse(try holders(of: secret, in: gateway).isEmpty, "\(secret) is stored before the erasure")
        }

        let export = try gateway.admin("GET", "/v1/contacts/\(contact)/export")
        XCTAssertEqual(export.status, 200)
        for secret in [Self.phone, Self.name, Self.bsuid, "second terminal", "paper form"] {
            XCTAssertTrue(export.text.contains(secret), "the export holds \(secret)")
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/contacts/\(contact)/export", token: try gateway.token(role: "agent"))
            .status, 403)

        let erased = try gateway.admin("POST", "/v1/contacts/\(contact)/erasure")
        XCTAssertEqual(erased.status, 200, erased.text)
        XCTAssertEqual(erased.json?["status"]?.stringValue, "erased")
        XCTAssertEqual(erased.json?["files_purged"]?.boolValue, true)
        let leftovers = try [Self.phone, Self.name, Self.bsuid, "second terminal", "Bangsar shop", "paper form"]
            .map { ($0, try holders(of: $0, in: gateway)) }.filter { !$0.1.isEmpty }
        XCTAssertTrue(leftovers.isEmpty, "still stored: \(leftovers)")

        XCTAssertEqual(try gateway.conversationTickets().count, 1, "the ticket is still counted")
        XCTAssertEqual(try gateway.ticketList(ticket, "messages").count, 3, "as are its messages")
        let again = try gateway.admin("POST", "/v1/contacts/\(contact)/erasure")
        XCTAssertEqual(again.json?["status"]?.stringValue, "already_erased")
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/nobody/erasure").status, 404)
        let audit = try gateway.rows("SELECT actor, subject_id, detail FROM audit_events WHERE action = 'contact.erased'")
        XCTAssertEqual(audit.count, 1, "erasing twice is one erasure")
        XCTAssertEqual(audit.first?["subject_id"] ?? nil, contact)
        let after = try gateway.admin("GET", "/v1/contacts/\(contact)/export")
        XCTAssertNotNil(after.json?["erased_at"]?.stringValue)

        // The same phone writing again is a new customer, with nothing of the old one.
        try gateway.customerSays("hello again", phone: Self.phone, name: "N")
        let tickets: [JSONValue] = try gateway.conversationTickets()
        let newest = try XCTUnwrap(tickets.first)
        XCTAssertNotEqual(newest["contact_id"]?.stringValue, contact)
    }

    func testConsentChoicesAreRecordedCheckedAndRespected() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.out\(index)") }
        defer { cloud.stop() }
        let gateway = try TestGateway.whatsApp(cloud)
        defer { gateway.shutdown() }
        try gateway.customerSays("hi", phone: Self.phone, name: Self.name)
        let contact = try XCTUnwrap(try gateway.rows("SELECT public_id FROM customers").first?["public_id"])
        for (body, field) in [(#"{}"#, "status"), (#"{"status": "maybe"}"#, "status"),
                              (#"{"status": "granted", "category": "sms"}"#, "category"),
                              (#"{"status": "granted", "source": ""}"#, "source"),
                              (#"{"status": "granted", "channel": "x"}"#, "channel")] {
            let response = try gateway.admin("POST", "/v1/contacts/\(contact)/consents", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, body)
        }
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/nobody/consents", body: #"{"status": "granted"}"#).status,
                       404)
        let withdrawn = try gateway.admin("POST", "/v1/contacts/\(contact)/consents",
                                          body: #"{"status": "withdrawn", "source": "call centre"}"#)
        XCTAssertEqual(withdrawn.json?["consents"]?["marketing_messages"]?["status"]?.stringValue, "withdrawn")
        XCTAssertEqual(withdrawn.json?["consents"]?["marketing_messages"]?["source"]?.stringValue, "call centre")
        let marketing = try gateway.admin("POST", "/v1/whatsapp/messages", body: """
            {"to": "\(Self.phone)", "template": {"name": "renewal_offer", "language": "en",
             "parameters": ["Kopi", "10%", "31 Dec"]}}
            """)
        XCTAssertEqual(marketing.status, 409, "a marketing send to a contact who withdrew is refused: \(marketing.text)")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_whatsapp_sends_refused_total",
                                                   [("reason", "consent_withdrawn")]), 1, "and counted")
        let audit = try gateway.rows("SELECT detail FROM audit_events WHERE action = 'contact.consent'")
        XCTAssertEqual(audit.count, 1)
    }
}
