import Crypto
import Delivery
import GatewayKit
import WhatsAppAdapter
import XCTest

final class SignatureVerifierTests: XCTestCase {
    // MARK: Meta X-Hub-Signature-256

    private let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)

    private func metaError(_ verifier: MetaSignatureVerifier, _ header: String?, body: [UInt8]? = nil) -> VerificationError? {
        do {
            try verifier.verify(body: body ?? self.body, signatureHeader: header)
            return nil
        } catch {
            return error
        }
    }

    func testMetaSignatureAcceptsTheRightHMAC() {
        let verifier = MetaSignatureVerifier(appSecret: "app-secret")
        // Computed independently: python3 hmac.new(b"app-secret", body, sha256).hexdigest()
        let header = MetaSignatureVerifier.sign(body: body, appSecret: "app-secret")
        XCTAssertTrue(header.hasPrefix("sha256="))
        XCTAssertNil(metaError(verifier, header))
        XCTAssertNil(metaError(verifier, header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")))
    }

    /// The checked signature is what the route keys a delivery by: the 32 bytes the header's digits spell, whatever
    /// their case.
    func testMetaSignatureReturnsTheCheckedHMAC() throws {
        let verifier = MetaSignatureVerifier(appSecret: "app-secret")
        let header = MetaSignatureVerifier.sign(body: body, appSecret: "app-secret")
        let digits = String(header.dropFirst("sha256=".count))
        XCTAssertEqual(Hex.encode(try verifier.verify(body: body, signatureHeader: header)), digits)
        XCTAssertEqual(Hex.encode(try verifier.verify(body: body, signatureHeader: "sha256=" + digits.uppercased())),
                       digits)
        XCTAssertNotEqual(try verifier.verify(body: body + [0x20],
                                              signatureHeader: MetaSignatureVerifier.sign(body: body + [0x20],
                                                                                         appSecret: "app-secret")),
                          try verifier.verify(body: body, signatureHeader: header))
    }

    func testMetaSignatureRejections() {
        let verifier = MetaSignatureVerifier(appSecret: "app-secret")
        let good = MetaSignatureVerifier.sign(body: body, appSecret: "app-secret")
        XCTAssertEqual(metaError(verifier, nil), .missingHeader("X-Hub-Signature-256"))
        XCTAssertEqual(metaError(verifier, "  "), .missingHeader("X-Hub-Signature-256"))
        XCTAssertEqual(metaError(verifier, "sha1=abcd"), .malformedHeader("X-Hub-Signature-256"))
        XCTAssertEqual(metaError(verifier, "sha256=zz"), .malformedHeader("X-Hub-Signature-256"))
        XCTAssertEqual(metaError(verifier, String(good.dropLast(2))), .malformedHeader("X-Hub-Signature-256"))
        XCTAssertEqual(metaError(verifier, MetaSignatureVerifier.sign(body: body, appSecret: "other")), .signatureMismatch)
        XCTAssertEqual(metaError(verifier, good, body: body + [0x20]), .signatureMismatch)
        XCTAssertEqual(metaError(MetaSignatureVerifier(appSecret: nil), good), .notConfigured)
        XCTAssertEqual(metaError(MetaSignatureVerifier(appSecret: ""), good), .notConfigured)
    }

    // MARK: Standard Webhooks

    /// The published Standard Webhooks example (also used by Svix's libraries).
    private let vectorSecret = WebhookSecret(encoded: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!
    private let vectorID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    private let vectorTimestamp: Int64 = 1_614_265_330
    private let vectorBody = Array(#"{"test": 2432232314}"#.utf8)
    private let vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    private func standardError(_ verifier: StandardWebhookVerifier, id: String? = nil, timestamp: String? = nil,
                               signature: String?, body: [UInt8]? = nil, now: Int64? = nil) -> VerificationError? {
        do {
            try verifier.verify(id: id ?? vectorID, timestamp: timestamp ?? String(vectorTimestamp), signature: signature,
                                body: body ?? vectorBody, now: now ?? vectorTimestamp)
            return nil
        } catch {
            return error
        }
    }

    func testStandardWebhooksPublishedVector() {
        XCTAssertEqual(StandardWebhookVerifier.sign(id: vectorID, timestamp: String(vectorTimestamp), body: vectorBody,
                                                    secret: vectorSecret), vectorSignature)
        XCTAssertNil(standardError(StandardWebhookVerifier(secrets: [vectorSecret]), signature: vectorSignature))
    }

    func testSeveralSignaturesAndSecretsForRotation() {
        let old = WebhookSecret(key: Array(repeating: 1, count: 32))
        let verifier = StandardWebhookVerifier(secrets: [old, vectorSecret])
        let otherSignature = StandardWebhookVerifier.sign(id: vectorID, timestamp: String(vectorTimestamp),
                                                          body: vectorBody, secret: WebhookSecret(key: Array(repeating: 9, count: 32)))
        XCTAssertNil(standardError(verifier, signature: "\(otherSignature) v1a,abc \(vectorSignature)"))
        XCTAssertNil(standardError(StandardWebhookVerifier(secrets: [vectorSecret, old]), signature: vectorSignature))
        XCTAssertEqual(standardError(verifier, signature: otherSignature), .signatureMismatch)
    }

    /// Entries are separated by spaces as text: in a header with other than ASCII, a space followed by a combining mark
    /// is one character and separates nothing, so the entry before it is not a signature on its own.
    func testSignatureEntriesAreSplitAsText() {
        let verifier = StandardWebhookVerifier(secrets: [vectorSecret])
        XCTAssertNil(standardError(verifier, signature: "v1,\u{E9} \(vectorSignature)"))
        XCTAssertEqual(standardError(verifier, signature: "\(vectorSignature) \u{301}v1a,x"),
                       .malformedHeader("webhook-signature"))
    }

    func testStandardWebhooksRejections() {
        let verifier = StandardWebhookVerifier(secrets: [vectorSecret], toleranceSeconds: 300)
        XCTAssertEqual(standardError(verifier, signature: nil), .missingHeader("webhook-signature"))
        XCTAssertEqual(standardError(verifier, id: "", signature: vectorSignature), .missingHeader("webhook-id"))
        XCTAssertEqual(standardError(verifier, timestamp: "", signature: vectorSignature), .missingHeader("webhook-timestamp"))
        XCTAssertEqual(standardError(verifier, timestamp: "soon", signature: vectorSignature), .malformedHeader("webhook-timestamp"))
        XCTAssertEqual(standardError(verifier, signature: "v2,abc"), .malformedHeader("webhook-signature"))
        XCTAssertEqual(standardError(verifier, signature: vectorSignature, body: vectorBody + [0x20]), .signatureMismatch)
        XCTAssertEqual(standardError(verifier, id: "msg_other", signature: vectorSignature), .signatureMismatch)
        XCTAssertEqual(standardError(verifier, signature: vectorSignature, now: vectorTimestamp + 301), .timestampOutOfTolerance)
        XCTAssertEqual(standardError(verifier, signature: vectorSignature, now: vectorTimestamp - 301), .timestampOutOfTolerance)
        XCTAssertNil(standardError(verifier, signature: vectorSignature, now: vectorTimestamp + 300))
        XCTAssertEqual(standardError(StandardWebhookVerifier(secrets: []), signature: vectorSignature), .notConfigured)
    }

    func testWebhookSecretFormat() {
        XCTAssertNil(WebhookSecret(encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        XCTAssertNil(WebhookSecret(encoded: "whsec_%%%"))
        XCTAssertNil(WebhookSecret(encoded: "whsec_c2hvcnQ="))  // 5 bytes: too short to be a real key
        XCTAssertEqual(vectorSecret.encoded, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    }
}
