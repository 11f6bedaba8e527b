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

/// What the stand-in Cloud API holds of one media id: the file's bytes and what its metadata says.
struct CloudMedia: Sendable {
    var bytes: String
    var mimeType: String
    /// Meta's SHA-256 in the metadata; by default the true one.
    var sha256: String?
    /// `file_size` in the metadata; by default the true size, nil leaves it out.
    var fileSize: Int?
    /// Answers of the metadata request before it succeeds (e.g. 500s), one per attempt.
    var metadataFailures: [Int] = []
    /// Where the metadata says the file is; nil = on the stub (`/files/<media-id>`).
    var url: String?

    init(_ bytes: String, mimeType: String, sha256: String? = nil, fileSize: Int? = -1, metadataFailures: [Int] = []) {
        self.bytes = bytes
        self.mimeType = mimeType
        self.sha256 = sha256 ?? SHA256Digest.hexHash(Array(bytes.utf8))
        self.fileSize = fileSize == -1 ? bytes.utf8.count : fileSize
        self.metadataFailures = metadataFailures
    }
}

/// The media a stand-in Cloud API serves: `GET /v21.0/<media-id>` → metadata whose `url` points back at the stub
/// (`/files/<media-id>`), and that path → the bytes. Sends are accepted as usual.
final class CloudMediaLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: CloudMedia] = [:]
    private(set) var base = ""

    subscript(id: String) -> CloudMedia? {
        get { lock.withLock { items[id] } }
        set { lock.withLock { items[id] = newValue } }
    }

    func reply(_ index: Int, _ request: StubSink.Received) -> StubSink.Reply {
        let path = request.path
        if request.method == "POST" { return CloudAPIReply.accepted("wamid.M\(index)") }
        if path.hasPrefix("/files/"), let media = self[String(path.dropFirst("/files/".count))] {
            return .status(200, headers: [("Content-Type", media.mimeType)], body: media.bytes)
        }
        let id = String(path.split(separator: "/").last ?? "")
        guard var media = self[id] else { return CloudAPIReply.error(100, "Invalid parameter", status: 400) }
        if !media.metadataFailures.isEmpty {
            let status = media.metadataFailures.removeFirst()
            self[id] = media
            return CloudAPIReply.error(2, "Service temporarily unavailable", status: status)
        }
        var metadata: [String: JSONValue] = ["messaging_product": "whatsapp", "id": .string(id),
                                             "url": .string(media.url ?? base + "/files/" + id),
                                             "mime_type": .string(media.mimeType)]
        metadata.put("sha256", media.sha256)
        metadata.put("file_size", media.fileSize.map { .integer(Int64($0)) })
        return .status(200, headers: [("Content-Type", "application/json")], body: JSONWriter.string(.object(metadata)))
    }

    func serve(at url: String) { lock.withLock { base = url } }
}

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
