import Crypto
import Foundation
import GatewayKit
import HTTPTesting

/// What the stand-in Cloud API holds of one media id: the file's bytes and what its metadata says.
package struct CloudMedia: Sendable {
    package var bytes: [UInt8]
    package var mimeType: String
    /// Meta's SHA-256 in the metadata; by default the true one.
    package var sha256: String?
    /// `file_size` in the metadata; by default the true size, nil leaves it out.
    package var fileSize: Int?
    /// Answers of the metadata request before it succeeds (e.g. 500s), one per attempt.
    package var metadataFailures: [Int] = []
    /// Where the metadata says the file is; nil = on the stub (`/files/<media-id>`).
    package var url: String?

    package init(_ text: String, mimeType: String, sha256: String? = nil, fileSize: Int? = -1, metadataFailures: [Int] = []) {
        self.init(bytes: Array(text.utf8), mimeType: mimeType, sha256: sha256, fileSize: fileSize,
                  metadataFailures: metadataFailures)
    }

    package init(bytes: [UInt8], mimeType: String, sha256: String? = nil, fileSize: Int? = -1,
                 metadataFailures: [Int] = []) {
        self.bytes = bytes
        self.mimeType = mimeType
        self.sha256 = sha256 ?? SHA256Digest.hexHash(bytes)
        self.fileSize = fileSize == -1 ? bytes.count : fileSize
        self.metadataFailures = metadataFailures
    }
}

/// The media a stand-in Cloud API serves: `GET /v21.0/<media-id>` → metadata whose `url` points back at the stub
/// (`/files/<media-id>`), and that path → the bytes. Sends are accepted as usual.
package final class CloudMediaLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: CloudMedia] = [:]
    package private(set) var base = ""

    package init() {}

    package subscript(id: String) -> CloudMedia? {
        get { lock.withLock { items[id] } }
        set { lock.withLock { items[id] = newValue } }
    }

    package func reply(_ index: Int, _ request: StubSink.Received) -> StubSink.Reply {
        let path = request.path
        if request.method == "POST" { return CloudAPIReply.accepted("wamid.M\(index)") }
        if path.hasPrefix("/files/"), let media = self[String(path.dropFirst("/files/".count))] {
            return .bytes(200, headers: [("Content-Type", media.mimeType)], body: media.bytes)
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

    package func serve(at url: String) { lock.withLock { base = url } }
}
