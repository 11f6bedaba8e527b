/// Why an inbound webhook was not accepted as authentic. Every case maps to 401 except `notConfigured`, which is also
/// 401: without a secret the gateway cannot tell a real sender from a forger, so it refuses.
public enum VerificationError: Error, Sendable, Equatable {
    /// No secret is configured for this source.
    case notConfigured
    /// A required header is absent (named, e.g. `X-Hub-Signature-256`, `webhook-timestamp`).
    case missingHeader(String)
    /// The header is present but not in the expected format.
    case malformedHeader(String)
    /// The signature does not match any configured secret.
    case signatureMismatch
    /// The signed timestamp is outside the tolerance window (replay protection).
    case timestampOutOfTolerance
}
