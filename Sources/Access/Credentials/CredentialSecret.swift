import Crypto

/// The random secrets behind API tokens, session cookies and CSRF tokens: 32 random bytes, URL-safe base64, with a
/// short prefix saying what they are (`gwt_` tokens, `gws_` sessions). Only their SHA-256 is stored — they have full
/// entropy, so a slow hash would add nothing — and looking one up by that digest reveals nothing about the secret.
public enum CredentialSecret {
    public static let tokenPrefix = "gwt_"
    public static let sessionPrefix = "gws_"

    /// A new secret with `prefix`.
    public static func make(prefix: String) -> String { prefix + SecureRandom.token(byteCount: 32) }

    /// What is stored and looked up: the hex SHA-256 of the secret.
    public static func digest(_ secret: String) -> String { SHA256Digest.hexHash(Array(secret.utf8)) }

    /// True when `secret` has the shape of one of ours with `prefix` (cheap check before any lookup).
    public static func isWellFormed(_ secret: String, prefix: String) -> Bool {
        secret.hasPrefix(prefix) && secret.utf8.count == prefix.utf8.count + 43
            && secret.utf8.dropFirst(prefix.utf8.count).allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
                    || $0 == 0x5F
            }
    }

    /// Constant-time comparison of two secrets (by their digests, so their lengths do not show either).
    public static func equal(_ a: String, _ b: String) -> Bool {
        ConstantTime.equals(SHA256Digest.hash(Array(a.utf8)), SHA256Digest.hash(Array(b.utf8)))
    }
}
