import CCrypto

/// PBKDF2 with HMAC-SHA256 (RFC 8018) through OpenSSL's `PKCS5_PBKDF2_HMAC`: the slow, salted hash that stored
/// passwords are kept as, so a copy of the database does not hand out the passwords.
public enum PBKDF2 {
    /// Derives `byteCount` bytes from `password` and `salt` with `iterations` rounds.
    ///
    /// Traps if OpenSSL fails (it only does for invalid arguments or out of memory): a password check that silently
    /// produced something else would lock everyone out or, worse, let someone in.
    public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, byteCount: Int = 32) -> [UInt8] {
        precondition(iterations > 0 && iterations <= Int(Int32.max), "invalid PBKDF2 iteration count \(iterations)")
        precondition(byteCount > 0 && byteCount <= 1024, "invalid PBKDF2 output length \(byteCount)")
        var output = [UInt8](repeating: 0, count: byteCount)
        let status = password.withNonNullBytes { passwordPointer, passwordCount in
            salt.withNonNullBytes { saltPointer, saltCount in
                passwordPointer.withMemoryRebound(to: CChar.self, capacity: max(passwordCount, 1)) { chars in
                    PKCS5_PBKDF2_HMAC(chars, Int32(passwordCount), saltPointer, Int32(saltCount),
                                      Int32(iterations), EVP_sha256(), Int32(byteCount), &output)
                }
            }
        }
        precondition(status == 1, "OpenSSL PKCS5_PBKDF2_HMAC failed")
        return output
    }
}
