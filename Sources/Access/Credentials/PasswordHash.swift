import Crypto

/// A stored password: `pbkdf2_sha256$<iterations>$<salt>$<hash>` (salt and hash URL-safe base64), 16 random bytes of
/// salt per user. The iteration count travels with the hash, so raising the configured count affects new and changed
/// passwords without breaking the old ones.
public enum PasswordHash {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    /// Shortest accepted password, in characters.
    public static let minimumLength = 12
    /// Longest accepted password, in bytes (PBKDF2 hashes longer ones fine, but nobody types them and they cost time).
    public static let maximumBytes = 256

    public static func make(_ password: String, iterations: Int) -> String {
        let salt = SecureRandom.bytes(16)
        let hash = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations)
        return "pbkdf2_sha256$\(iterations)$\(Base64.encodeURLSafe(salt))$\(Base64.encodeURLSafe(hash))"
    }

    /// True when `password` matches `stored`, compared in constant time; false for a stored value of another shape.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2_sha256", let iterations = Int(parts[1]), iterations > 0,
              iterations <= 10_000_000, let salt = Base64.decodeURLSafe(String(parts[2])),
              let expected = Base64.decodeURLSafe(String(parts[3])), !expected.isEmpty
        else { return false }
        let hash = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations,
                                 byteCount: expected.count)
        return ConstantTime.equals(hash, expected)
    }

    /// A stand-in hash, checked when a login names an unknown email, so that the answer takes as long as for a known
    /// one and does not tell which emails have accounts.
    /// Its hash is random bytes, not the hash of anything: checking a password against it costs the same rounds and
    /// never succeeds, and making it costs nothing.
    public static func decoy(iterations: Int) -> String {
        "pbkdf2_sha256$\(iterations)$\(Base64.encodeURLSafe(SecureRandom.bytes(16)))$"
            + Base64.encodeURLSafe(SecureRandom.bytes(32))
    }

    /// Why `password` cannot be set, or nil when it can.
    public static func weakness(of password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes" }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain control characters"
        }
        return nil
    }
}
