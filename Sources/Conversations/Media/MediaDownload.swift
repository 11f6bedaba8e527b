import Crypto
import Delivery
import Foundation
import Messaging

/// One attempt at downloading a message's media, judged before anything is kept: the Cloud API's metadata, the MIME
/// type the kind allows, the size cap (the kind's Cloud API limit and `media.max_bytes`, whichever is smaller —
/// checked on the declared size before downloading and on the bytes received), and the SHA-256 Meta sent (in the
/// metadata and in the webhook). Only a file that passes every check is written, to a temporary file.
struct MediaDownload: Sendable {
    let source: any WhatsAppMediaSource
    let files: MediaFileStore
    let maxBytes: Int

    enum Outcome: Sendable, Equatable {
        /// Verified and flushed to `temporaryPath`, to be placed at its content address.
        case verified(temporaryPath: String, sha256: String, sizeBytes: Int, mimeType: String)
        /// Will not be tried again; what Meta declared of the file when known.
        case failed(reason: String, detail: String, mimeType: String?, sizeBytes: Int?)
        /// May succeed later.
        case retry(reason: String, detail: String)
    }

    func attempt(_ job: TicketMediaTable.Job) -> Outcome {
        let metadata: WhatsAppMediaMetadata
        switch source.metadata(of: job.mediaID) {
        case .failure(let failure): return Self.outcome(failure)
        case .success(let found): metadata = found
        }
        let mimeType = metadata.mimeType ?? job.declaredMIMEType ?? ""
        guard job.kind.accepts(mimeType: mimeType) else {
            return .failed(reason: "refused_type", detail: "\(job.kind.rawValue) of type \(mimeType.isEmpty ? "unknown" : mimeType) "
                           + "is not a type WhatsApp sends as \(job.kind.rawValue)", mimeType: metadata.mimeType,
                           sizeBytes: metadata.fileSize)
        }
        let cap = min(maxBytes, job.kind.maxBytes)
        if let size = metadata.fileSize, size > cap {
            return Self.tooLarge(job.kind, cap: cap, mimeType: mimeType, sizeBytes: size)
        }
        let bytes: [UInt8]
        switch source.content(at: metadata.url, maxBytes: cap) {
        case .failure(let failure) where failure.reason == "too_large":
            return Self.tooLarge(job.kind, cap: cap, mimeType: mimeType, sizeBytes: metadata.fileSize)
        case .failure(let failure): return Self.outcome(failure)
        case .success(let received): bytes = received
        }
        let digest = SHA256Digest.hash(bytes)
        for declared in [metadata.sha256, job.declaredSHA256].compactMap({ $0 }) where !Self.matches(declared, digest) {
            return .failed(reason: "sha256_mismatch", detail: "the file's SHA-256 is \(Hex.encode(digest)), Meta "
                           + "declared \(declared); the file was discarded", mimeType: mimeType, sizeBytes: bytes.count)
        }
        do {
            let path = try files.writeTemporary(bytes)
            return .verified(temporaryPath: path, sha256: Hex.encode(digest), sizeBytes: bytes.count,
                             mimeType: Self.servable(mimeType))
        } catch {
            return .retry(reason: "storage", detail: "the file could not be written: \(error)")
        }
    }

    private static func outcome(_ failure: FetchFailure) -> Outcome {
        failure.retryable ? .retry(reason: failure.reason, detail: failure.detail)
            : .failed(reason: failure.reason, detail: failure.detail, mimeType: nil, sizeBytes: nil)
    }

    private static func tooLarge(_ kind: WhatsAppMediaType, cap: Int, mimeType: String, sizeBytes: Int?) -> Outcome {
        .failed(reason: "too_large", detail: "the \(kind.rawValue) is larger than the \(cap) bytes kept "
                + "(media.max_bytes and the Cloud API's limit for \(kind.rawValue))", mimeType: mimeType,
                sizeBytes: sizeBytes)
    }

    /// The type as it will be served in `Content-Type`: as Meta wrote it (`audio/ogg; codecs=opus`) when that is
    /// plain printable ASCII, else only the bare type the kind accepted.
    static func servable(_ mimeType: String) -> String {
        if mimeType.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return mimeType }
        return mimeType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// Meta writes the SHA-256 in hex or in base64; either form of `digest` matches.
    static func matches(_ declared: String, _ digest: [UInt8]) -> Bool {
        declared.lowercased() == Hex.encode(digest) || declared == Base64.encode(digest)
    }
}
