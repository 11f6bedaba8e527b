import Crypto
import Delivery
import GatewayKit

/// Standard Webhooks verification with every header under the fuzzer's control. The input is split at its first
/// three line feeds into `webhook-id`, `webhook-timestamp`, `webhook-signature` and the body; a field the input is
/// too short to have is an absent header.
///
/// Two properties besides "no crash": an input is accepted only when its signature header really carries the HMAC
/// of one of the secrets (checked here independently of the verifier's loop), and the same headers with a correct
/// signature are judged exactly as the scheme says (missing id or timestamp, timestamp not a number, outside the
/// five-minute window, else accepted).
enum SignatureFuzzing {
    /// Fixed test keys, not secrets of any deployment: two, so that rotation (any secret matches) is exercised.
    static let secrets = [WebhookSecret(key: Array("gateway-fuzz-key-one-0123456789".utf8)),
                          WebhookSecret(key: Array("gateway-fuzz-key-two-0123456789".utf8))]
    /// The verifier's clock during fuzzing (2026-01-01T00:00:00Z); seeds sign timestamps near it.
    static let now: Int64 = 1_767_225_600
    static let toleranceSeconds: Int64 = 300

    struct Fields {
        var id: String?
        var timestamp: String?
        var signature: String?
        var body: [UInt8]
    }

    static func split(_ bytes: [UInt8]) -> Fields {
        var parts = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 3, omittingEmptySubsequences: false)
        let body = parts.count == 4 ? Array(parts.removeLast()) : []
        func text(_ index: Int) -> String? {
            index < parts.count ? String(decoding: parts[index], as: UTF8.self) : nil
        }
        return Fields(id: text(0), timestamp: text(1), signature: text(2), body: body)
    }

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        let fields = split(bytes)
        let verifier = StandardWebhookVerifier(secrets: secrets, toleranceSeconds: Int(toleranceSeconds))
        var refusal: VerificationError?
        do {
            try verifier.verify(id: fields.id, timestamp: fields.timestamp, signature: fields.signature,
                                body: fields.body, now: now)
        } catch {
            refusal = error
        }
        if refusal == nil, !carriesValidMAC(fields) {
            throw FuzzFinding(.webhookSignature, "accepted a signature header without a valid v1 HMAC")
        }
        try checkCorrectlySigned(fields, verifier: verifier)
        return refusal.map { .refused("\($0)") } ?? .accepted
    }

    /// Whether one space-separated `v1,<base64>` entry decodes to the HMAC of the trimmed id and timestamp and the
    /// body under one of the secrets.
    private static func carriesValidMAC(_ fields: Fields) -> Bool {
        guard let id = fields.id?.trimmingSpaces, let timestamp = fields.timestamp?.trimmingSpaces,
              let signature = fields.signature?.trimmingSpaces else { return false }
        let content = Array("\(id).\(timestamp).".utf8) + fields.body
        let macs = secrets.map { HMACSHA256.authenticate(content, key: $0.key) }
        return signature.split(separator: " ").contains { entry in
            guard entry.hasPrefix("v1,"), let decoded = Base64.decode(String(entry.dropFirst(3))) else { return false }
            return macs.contains(decoded)
        }
    }

    /// The fuzzed id, timestamp and body with a signature the second secret really made: the verifier's answer
    /// must be the scheme's, computed here from the headers alone.
    private static func checkCorrectlySigned(_ fields: Fields, verifier: StandardWebhookVerifier) throws(FuzzFinding) {
        let id = fields.id?.trimmingSpaces ?? ""
        let timestamp = fields.timestamp?.trimmingSpaces ?? ""
        let signature = StandardWebhookVerifier.sign(id: id, timestamp: timestamp, body: fields.body,
                                                     secret: secrets[1])
        let expected: VerificationError?
        if id.isEmpty {
            expected = .missingHeader(StandardWebhookVerifier.idHeader)
        } else if timestamp.isEmpty {
            expected = .missingHeader(StandardWebhookVerifier.timestampHeader)
        } else if let seconds = Int64(timestamp) {
            let inWindow = seconds >= now - toleranceSeconds && seconds <= now + toleranceSeconds
            expected = inWindow ? nil : .timestampOutOfTolerance
        } else {
            expected = .malformedHeader(StandardWebhookVerifier.timestampHeader)
        }
        var actual: VerificationError?
        do {
            try verifier.verify(id: fields.id, timestamp: fields.timestamp, signature: signature, body: fields.body,
                                now: now)
        } catch {
            actual = error
        }
        guard actual == expected else {
            throw FuzzFinding(.webhookSignature, "a correctly signed request was answered \(String(describing: actual)) "
                              + "instead of \(String(describing: expected))")
        }
    }
}
