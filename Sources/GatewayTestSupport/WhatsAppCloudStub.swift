import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Answers of a stand-in WhatsApp Cloud API (a ``StubSink`` on 127.0.0.1, which records every request byte for
/// byte): a send's 200 with its `wamid`, or Meta's error JSON (`{"error": {"message": "(#code) title", "type",
/// "code", "error_data": {"messaging_product", "details"}, "fbtrace_id"}}`, usually with HTTP 400).
package enum CloudAPIReply {
    package static func accepted(_ wamid: String, input: String = "60123456789") -> StubSink.Reply {
        .status(200, headers: [("Content-Type", "application/json")], body: JSONWriter.string([
            "messaging_product": "whatsapp", "contacts": [["input": .string(input), "wa_id": .string(input)]],
            "messages": [["id": .string(wamid)]],
        ]))
    }

    package static func error(_ code: Int64, _ title: String, status: Int = 400, details: String = "see the error code",
                      headers: [(String, String)] = []) -> StubSink.Reply {
        .status(status, headers: [("Content-Type", "application/json")] + headers, body: JSONWriter.string([
            "error": ["message": .string("(#\(code)) \(title)"), "type": "OAuthException", "code": .integer(code),
                      "error_data": ["messaging_product": "whatsapp", "details": .string(details)],
                      "fbtrace_id": "AazX3yKxxd0Lq9E3x2m0YQc"],
        ]))
    }
}

package extension TestGateway {
    static let whatsAppToken = "test-cloud-api-token"

    /// A gateway whose `whatsapp` endpoint is `cloud`, with a phone number id and an access token.
    static func whatsApp(_ cloud: StubSink, clockStart: Int64 = 1_750_000_000_000, store: TestStore? = nil,
                         configure: (inout GatewayConfig) -> Void = { _ in }) throws -> TestGateway {
        try TestGateway(clockStart: clockStart, store: store) { config in
            config.whatsapp.apiURL = cloud.url + "/v21.0"
            config.whatsapp.accessToken = whatsAppToken
            config.whatsapp.phoneNumberID = WhatsAppFixtures.phoneNumberID
            config.adminToken = TestGateway.adminToken
            configure(&config)
        }
    }

    /// `POST /v1/whatsapp/messages`; returns the answer and the message id when one was queued.
    @discardableResult
    func sendWhatsApp(_ body: String, idempotencyKey: String? = nil, file: StaticString = #filePath,
                      line: UInt = #line) throws -> (response: ClientResponseSummary, status: Int, id: Int64?) {
        var headers: [(String, String)] = [("Content-Type", "application/json"),
                                           ("Authorization", "Bearer \(TestGateway.adminToken)")]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let response = try request("POST", "/v1/whatsapp/messages", headers: headers, body: Array(body.utf8),
                                   file: file, line: line)
        let summary = ClientResponseSummary(response)
        return (summary, response.status, summary.json?["id"]?.int64Value)
    }

    /// The message as `GET /v1/whatsapp/messages/{id}` answers it.
    func whatsAppMessage(_ id: Int64) throws -> JSONValue? {
        try admin("GET", "/v1/whatsapp/messages/\(id)").json
    }

    /// Waits until the message's status is `status`; returns the message.
    @discardableResult
    func waitForWhatsApp(_ id: Int64, status: String, file: StaticString = #filePath,
                         line: UInt = #line) -> JSONValue? {
        eventually("message \(id) \(status)", file: file, line: line) {
            try whatsAppMessage(id)?["status"]?.stringValue == status
        }
        return try? whatsAppMessage(id)
    }

    /// Posts a signed status webhook and waits until the status applier has handled every status item.
    func postStatuses(_ statuses: [JSONValue], file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try postWhatsApp(WhatsAppBodyBuilder.statuses(statuses))
        XCTAssertEqual(response.status, 200, file: file, line: line)
        waitForNormalization(file: file, line: line)
        eventually("statuses applied", file: file, line: line) {
            try rows("SELECT id FROM inbox_items WHERE kind = 'status' AND status = 'pending'").isEmpty
        }
    }
}

/// A test case with a stand-in Cloud API (`cloud`, answering every send as accepted with `wamid.M<n>` for the n-th
/// request unless a test sets another script) and a gateway sending to it.
open class WhatsAppGatewayTestCase: XCTestCase {
    package var cloud: StubSink!
    package var gateway: TestGateway!

    open override func setUpWithError() throws {
        cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.M\(index)") }
        gateway = try TestGateway.whatsApp(cloud)
    }

    open override func tearDown() {
        gateway = nil
        cloud = nil
    }

    /// A text message the stand-in Cloud API accepted (the first one as `wamid.M0`); its id.
    package func acceptedMessage() throws -> Int64 {
        let id = try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "hello"}"#).id)
        gateway.waitForWhatsApp(id, status: "accepted")
        return id
    }
}

/// A migrated store in a temporary folder, removed with it.
package final class TemporaryStore {
    package let directory: URL
    package let store: SQLiteGatewayStore

    package init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-store-\(UUID().uuidString)")
        var settings = GatewayConfig().store
        (settings.path, settings.synchronous) = (directory.appendingPathComponent("gateway.sqlite").path, "normal")
        store = try SQLiteGatewayStore(config: settings, migrations: GatewaySchema.migrations)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
