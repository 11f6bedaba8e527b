import CCrypto

/// Comparison whose running time does not depend on where two byte strings differ.
///
/// Needed for signatures and tokens: an early-exit `==` leaks, through timing, how many
/// leading bytes of a forged value were right.
public enum ConstantTime {
    /// True when `a` and `b` have the same length and the same contents.
    ///
    /// Lengths are not secret (a tag's length is public), so unequal lengths return false at once
    /// without touching the contents; equal lengths are compared with OpenSSL's `CRYPTO_memcmp`.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withNonNullBytes { aPointer, count in
            b.withNonNullBytes { bPointer, _ in
                CRYPTO_memcmp(aPointer, bPointer, count) == 0
            }
        }
    }
}
