import Configuration
import Crypto
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// A gateway whose stand-in Cloud API serves ``library``; helpers to send a customer's media message and read what
/// became of it.
class MediaTestCase: XCTestCase {
    var cloud: StubSink!
    var gateway: TestGateway!
    let library = CloudMediaLibrary()

    override func setUpWithError() throws {
        let library = self.library
        cloud = try StubSink { index, request in library.reply(index, request) }
        library.serve(at: cloud.url)
        gateway = try TestGateway.whatsApp(cloud) { configure(&$0) }
    }

    /// Adjusts the configuration before the gateway starts.
    func configure(_ config: inout GatewayConfig) {}

    override func tearDown() {
        gateway = nil
        cloud = nil
    }

    /// The customer sends media `mediaID` as a `type` message; the ticket message's id.
    @discardableResult
    func customerSendsMedia(_ mediaID: String, type: String = "image", mimeType: String = "image/jpeg",
                            sha256: String? = nil, filename: String? = nil, caption: String? = nil,
                            file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        var content: [String: JSONValue] = ["id": .string(mediaID), "mime_type": .string(mimeType)]
        content.put("sha256", sha256 ?? library[mediaID]?.sha256)
        content.put("filename", filename)
        content.put("caption", caption)
        let waID = "wamid.\(UUID().uuidString)"
        try gateway.customerSends(WhatsAppBodyBuilder.message(
            id: waID, phone: "60123456789", bsuid: nil, name: "Aisyah", timestamp: gateway.messageTimestamp,
            type: type, content: .object(content)), file: file, line: line)
        let row = try XCTUnwrap(gateway.rows("SELECT id FROM ticket_messages WHERE wa_message_id = ?", [.text(waID)]).first,
                                file: file, line: line)
        return try XCTUnwrap(row["id"].flatMap { Int64($0) }, file: file, line: line)
    }

    /// The message's `media.download` as `GET /v1/tickets/{id}/messages` shows it.
    func download(of messageID: Int64) throws -> JSONValue? {
        let ticket = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        return try gateway.ticketList(ticket, "messages").first { $0["id"]?.int64Value == messageID }?["media"]?["download"]
    }

    /// Waits until the message's download has `status`; returns the download.
    @discardableResult
    func waitForDownload(_ messageID: Int64, _ status: String, file: StaticString = #filePath,
                         line: UInt = #line) throws -> JSONValue {
        eventually("media of message \(messageID) \(status)", file: file, line: line) {
            try download(of: messageID)?["status"]?.stringValue == status
        }
        return try XCTUnwrap(download(of: messageID), file: file, line: line)
    }

    /// The files under the media folder (temporary ones included), relative to it.
    func storedFiles() -> [String] {
        let root = gateway.directory.appendingPathComponent("media").path
        let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return found.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }

    /// `GET /v1/media/{id}` with `token` (the admin token by default).
    func media(_ id: Int64, token: String = TestGateway.adminToken) throws -> ClientResponse {
        try gateway.request("GET", "/v1/media/\(id)", headers: [("Authorization", "Bearer \(token)")])
    }
}
