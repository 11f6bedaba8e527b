import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import Messaging
import Storage
import WhatsAppAdapter
import XCTest

/// The Swift API other features call: `WhatsAppSender.enqueue(_:in:)` inside their own transaction, the read API,
/// and status listeners told in the transaction of the change.
final class WhatsAppSenderTests: XCTestCase {
    private var temporary: TemporaryStore!
    private var store: SQLiteGatewayStore { temporary.store }
    private var sender: WhatsAppSender!

    override func setUpWithError() throws {
        temporary = try TemporaryStore()
        let catalog = try WhatsAppTemplateCatalog.load(directory: TestGateway.templatesDirectory, defaultLanguage: "en")
        sender = WhatsAppSender(catalog: catalog, phoneNumberID: "1065", clock: { 1_000 })
    }

    override func tearDown() {
        temporary = nil
    }

    private func csat(_ ticket: String, key: String? = nil) -> WhatsAppSend {
        WhatsAppSend(recipient: .phone("60123456789"),
                     content: .template(name: "csat_request", language: "ms", parameters: ["Aisyah", ticket]),
                     purpose: "csat", reference: ticket, idempotencyKey: key ?? "csat:\(ticket)")
    }

    private func count(_ table: String) throws -> Int {
        try store.read { try $0.queryOne("SELECT count(*) AS n FROM \(table)")?.int("n") ?? -1 }
    }

    func testEnqueueWritesTheMessageAndItsOutboxRowInTheCallersTransaction() throws {
        let sender = self.sender!
        let send = csat("T-1")
        let reference = try store.writer.perform { connection in try sender.enqueue(send, in: connection) }
        XCTAssertTrue(reference.created)
        let outbox = try XCTUnwrap(store.read { try $0.queryOne("SELECT * FROM outbox") })
        XCTAssertEqual(outbox.string("endpoint"), "whatsapp")
        XCTAssertEqual(outbox.string("path"), "/1065/messages")
        XCTAssertEqual(outbox.string("idempotency_key"), "wa:csat:T-1")
        XCTAssertEqual(outbox.string("ordering_key"), "wa:60123456789")
        let message = try XCTUnwrap(store.read { try WhatsAppOutboundTable.message(id: reference.id, in: $0) })
        XCTAssertEqual(message.status, .queued)
        XCTAssertEqual(message.templateName, "csat_request")
        XCTAssertEqual(message.language, "ms")
        XCTAssertEqual(message.requestBody, String(decoding: outbox.blob("body") ?? [], as: UTF8.self))
        XCTAssertEqual(try store.read { try WhatsAppOutboundTable.messages(purpose: "csat", reference: "T-1", in: $0) }
                           .map(\.id), [reference.id])

        // Same key, same message: the first one, nothing new.
        let again = try store.writer.perform { connection in try sender.enqueue(send, in: connection) }
        XCTAssertEqual(again.id, reference.id)
        XCTAssertFalse(again.created)
        XCTAssertEqual(try count("outbox"), 1)
    }

    func testARolledBackTransactionLeavesNoMessageAndNoCall() throws {
        let sender = self.sender!
        let send = csat("T-2")
        XCTAssertThrowsError(try store.writer.perform { connection in
            _ = try sender.enqueue(send, in: connection)
            throw OutboxError.invalidMessage(field: "caller", reason: "changed its mind")
        })
        XCTAssertEqual(try count("whatsapp_outbound_messages"), 0)
        XCTAssertEqual(try count("outbox"), 0)
    }

    func testTypedErrorsNameTheField() throws {
        let sender = self.sender!
        func error(_ send: WhatsAppSend) -> WhatsAppSendError? {
            do {
                _ = try store.writer.perform { connection in try sender.enqueue(send, in: connection) }
                return nil
            } catch {
                return error as? WhatsAppSendError
            }
        }
        var send = csat("T-3")
        send.content = .template(name: "csat", language: nil, parameters: [])
        XCTAssertEqual(error(send), .unknownTemplate("csat"))
        send.content = .template(name: "csat_request", language: "zh", parameters: ["a", "b"])
        XCTAssertEqual(error(send), .unknownLanguage(template: "csat_request", language: "zh", available: ["en", "ms"]))
        send.content = .template(name: "csat_request", language: nil, parameters: ["a"])
        XCTAssertEqual(error(send), .parameterCount(template: "csat_request", expected: 2, given: 1))
        XCTAssertEqual(GatewayError(.parameterCount(template: "csat_request", expected: 2, given: 1)),
                       .validation([FieldError(field: "template.parameters", message: "csat_request takes 2 parameters, 1 given")]))
        send = csat("T-3", key: "")
        XCTAssertEqual(error(send)?.fieldErrors.map(\.field), ["idempotency_key"])
        send = csat("T-4")
        XCTAssertNil(error(send))
        var other = csat("T-4")
        other.content = .text("different")
        XCTAssertEqual(error(other), .idempotencyConflict(key: "csat:T-4", messageID: 1))
        let unconfigured = WhatsAppSender(catalog: sender.catalog, phoneNumberID: nil, clock: { 0 })
        let fifth = csat("T-5")
        XCTAssertThrowsError(try store.writer.perform { try unconfigured.enqueue(fifth, in: $0) }) {
            XCTAssertEqual($0 as? WhatsAppSendError, .notConfigured("WHATSAPP_PHONE_NUMBER_ID (whatsapp.phone_number_id)"))
        }
    }

    /// Records status changes in a table, inside the ledger's transaction.
    private struct CSATFailures: WhatsAppStatusListener {
        func statusChanged(_ change: WhatsAppStatusChange, in connection: any DatabaseConnection) throws {
            guard change.message.purpose == "csat" else { return }
            try connection.run("CREATE TABLE IF NOT EXISTS changes (reference TEXT, previous TEXT, status TEXT, code INTEGER)")
            try connection.run("INSERT INTO changes VALUES (?, ?, ?, ?)",
                               [SQLValue(change.message.reference), .text(change.previous.rawValue),
                                .text(change.message.status.rawValue), SQLValue(change.message.error?.code)])
        }
    }

    func testListenersAreToldStatusChangesInTheSameTransaction() throws {
        let sender = self.sender!
        let ledger = WhatsAppMessageLedger(listeners: [CSATFailures()])
        let recorder = WhatsAppDeliveryRecorder(ledger: ledger, format: CloudAPIFormat())
        let send = csat("T-9")
        try store.writer.perform { connection in
            _ = try sender.enqueue(send, in: connection)
            try recorder.record(OutboundDeliveryOutcome(
                endpoint: "whatsapp", idempotencyKey: "wa:csat:T-9", result: .delivered, status: 200, error: nil,
                responseBody: Array(#"{"messages":[{"id":"wamid.T9"}]}"#.utf8), attempts: 1, at: 2_000), in: connection)
            _ = try ledger.report(wamid: "wamid.T9", status: .failed, at: 3_000,
                                  error: WhatsAppMessageError(code: 131026, title: "Message undeliverable", detail: nil),
                                  receivedAt: 3_000, in: connection)
            // Not a change: a late "sent" after the failure.
            _ = try ledger.report(wamid: "wamid.T9", status: .sent, at: 2_500, error: nil, receivedAt: 3_000, in: connection)
        }
        let changes = try store.read { try $0.query("SELECT * FROM changes ORDER BY rowid") }
        XCTAssertEqual(changes.map { [$0.string("previous"), $0.string("status")] },
                       [["queued", "accepted"], ["accepted", "failed"]])
        XCTAssertEqual(changes.last?.int64("code"), 131026)
    }
}
