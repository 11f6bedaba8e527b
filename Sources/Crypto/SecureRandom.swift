import CCrypto
import Foundation

/// Cryptographically secure random bytes from the kernel's generator (`getrandom(2)`), the source OpenSSL's
/// `RAND_bytes` seeds itself from — at a third of its cost for the few bytes of an id.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// Traps if the kernel cannot produce random bytes: callers use these for secrets and tokens,
    /// and carrying on with predictable bytes would be worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "invalid random byte count \(count)")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            while filled < count {
                // Large requests may come back in parts; a signal may interrupt the wait for an unseeded pool.
                let got = getrandom(buffer.baseAddress! + filled, count - filled, 0)
                if got < 0 && errno == EINTR { continue }
                precondition(got > 0, "getrandom failed (errno \(errno))")
                filled += got
            }
            initialized = count
        }
    }

    /// Returns `byteCount` random bytes as URL-safe base64 without padding (RFC 4648 §5),
    /// so the token can go into URLs, headers and file names unescaped. 32 bytes give 43 characters.
    public static func token(byteCount: Int = 32) -> String {
        Base64.encodeURLSafe(bytes(byteCount))
    }
}
