import Crypto
import GatewayKit

/// Verifies the Standard Webhooks scheme used by our chatbot and agentic-AI senders: `webhook-signature` holds one or
/// more space-separated `v1,<base64 HMAC-SHA256("<webhook-id>.<webhook-timestamp>.<raw body>")>` entries; any entry
/// matching any configured secret passes (so secrets can be rotated without downtime). Timestamps further than the
/// tolerance from now, in either direction, are refused to stop replays of captured requests.
public struct StandardWebhookVerifier: Sendable {
    public static let idHeader = "webhook-id"
    public static let timestampHeader = "webhook-timestamp"
    public static let signatureHeader = "webhook-signature"

    /// One keyed HMAC state per configured secret, set up here once rather than for every request.
    private let keys: [HMACSHA256.Key]
    private let toleranceSeconds: Int64

    public init(secrets: [WebhookSecret], toleranceSeconds: Int = 300) {
        self.keys = secrets.map { HMACSHA256.Key($0.key) }
        self.toleranceSeconds = Int64(toleranceSeconds)
    }

    /// - Parameter now: current unix time in seconds (injected so tests can move time).
    public func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8],
                       now: Int64) throws(VerificationError) {
        guard !keys.isEmpty else { throw .notConfigured }
        guard let id = id?.trimmingSpaces, !id.isEmpty else { throw .missingHeader(Self.idHeader) }
        guard let timestamp = timestamp?.trimmingSpaces, !timestamp.isEmpty else {
            throw .missingHeader(Self.timestampHeader)
        }
        guard let signature = signature?.trimmingSpaces, !signature.isEmpty else {
            throw .missingHeader(Self.signatureHeader)
        }
        guard let seconds = Int64(timestamp) else { throw .malformedHeader(Self.timestampHeader) }
        // The header is any 64-bit number: `now - seconds` overflows near the limits, and an overflow would stop
        // the process, so the difference is taken with its overflow reported (an overflow is far out of the window).
        let (difference, overflow) = now.subtractingReportingOverflow(seconds)
        guard !overflow, difference.magnitude <= toleranceSeconds.magnitude else { throw .timestampOutOfTolerance }

        let provided = Self.signatures(in: signature)
        guard !provided.isEmpty else { throw .malformedHeader(Self.signatureHeader) }

        let signed = Self.signedContent(id: id, timestamp: timestamp, body: body)
        for key in keys {
            let expected = key.authenticate(signed)
            // Check every candidate without early exit on the first match's position.
            var matched = false
            for candidate in provided where ConstantTime.equals(expected, candidate) { matched = true }
            if matched { return }
        }
        throw .signatureMismatch
    }

    /// The `webhook-signature` value a sender computes; used by the outbound signer, tests and the benchmark.
    public static func sign(id: String, timestamp: String, body: [UInt8], secret: WebhookSecret) -> String {
        "v1," + Base64.encode(HMACSHA256.authenticate(signedContent(id: id, timestamp: timestamp, body: body),
                                                        key: secret.key))
    }

    /// The decoded `v1` entries of a `webhook-signature` value; other schemes (e.g. `v1a`) are not ours. An ASCII
    /// value (every real one) is split at its space bytes without building a `Character` per byte; any other is split
    /// as text, where a space followed by a combining mark is one character and does not separate entries.
    private static func signatures(in header: String) -> [[UInt8]] {
        guard header.utf8.allSatisfy({ $0 < 0x80 }) else {
            return header.split(separator: " ").compactMap { entry in
                entry.hasPrefix("v1,") ? Base64.decode(String(entry.dropFirst(3))) : nil
            }
        }
        return header.utf8.split(separator: UInt8(ascii: " ")).compactMap { entry in
            entry.starts(with: "v1,".utf8) ? Base64.decode(String(decoding: entry.dropFirst(3), as: UTF8.self)) : nil
        }
    }

    private static func signedContent(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var content = Array(id.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: timestamp.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: body)
        return content
    }
}
