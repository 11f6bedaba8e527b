import CCrypto

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes` (seeded from the OS).
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// Traps if OpenSSL cannot produce random bytes: callers use these for secrets and tokens,
    /// and carrying on with predictable bytes would be worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "invalid random byte count \(count)")
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let status = RAND_bytes(&buffer, Int32(count))
        precondition(status == 1, "OpenSSL RAND_bytes failed")
        return buffer
    }

    /// Returns `byteCount` random bytes as URL-safe base64 without padding (RFC 4648 §5),
    /// so the token can go into URLs, headers and file names unescaped. 32 bytes give 43 characters.
    public static func token(byteCount: Int = 32) -> String {
        Base64.encodeURLSafe(bytes(byteCount))
    }
}
