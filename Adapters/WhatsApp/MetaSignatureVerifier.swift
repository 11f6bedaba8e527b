import Crypto
import Delivery
import GatewayKit

/// Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: HMAC-SHA256 of the raw request body keyed with the app
/// secret. The body bytes are used exactly as received (never re-serialized), and the comparison is constant-time.
public struct MetaSignatureVerifier: Sendable {
    public static let headerName = "X-Hub-Signature-256"
    /// The app secret, set up once for every delivery it signs.
    private let appSecret: HMACSHA256.Key?

    public init(appSecret: String?) {
        self.appSecret = appSecret.flatMap { $0.isEmpty ? nil : HMACSHA256.Key(Array($0.utf8)) }
    }

    /// Checks the signature and returns it (the 32 bytes of the HMAC): a keyed digest of the exact body, which
    /// identifies the delivery as well as a plain hash of the body would, at no further cost.
    @discardableResult
    public func verify(body: [UInt8], signatureHeader: String?) throws(VerificationError) -> [UInt8] {
        guard let appSecret else { throw .notConfigured }
        guard let header = signatureHeader?.trimmingSpaces, !header.isEmpty else {
            throw .missingHeader(Self.headerName)
        }
        guard header.hasPrefix("sha256="), let provided = Hex.decode(utf8: header.utf8.dropFirst(7)),
              provided.count == 32
        else { throw .malformedHeader(Self.headerName) }
        let expected = appSecret.authenticate(body)
        guard ConstantTime.equals(expected, provided) else { throw .signatureMismatch }
        return expected
    }

    /// The header value a sender would compute; used by tests and the benchmark to sign payloads.
    public static func sign(body: [UInt8], appSecret: String) -> String {
        "sha256=" + Hex.encode(HMACSHA256.authenticate(body, key: Array(appSecret.utf8)))
    }
}
