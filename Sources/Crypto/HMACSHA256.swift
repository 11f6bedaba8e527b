import CCrypto
import Foundation

/// HMAC-SHA256 (RFC 2104) computed by OpenSSL's one-shot `HMAC(EVP_sha256(), ...)`.
///
/// Used to verify webhook signatures; compare the result with ``ConstantTime/equals(_:_:)``,
/// never with `==`.
public enum HMACSHA256 {
    /// Length of the authentication tag in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA256 tag of `message` under `key`. Keys of any length are accepted.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var tagLength: UInt32 = 0
        let produced = key.withNonNullBytes { keyPointer, keyCount in
            message.withNonNullBytes { messagePointer, messageCount in
                HMAC(EVP_sha256(), keyPointer, Int32(keyCount), messagePointer, messageCount,
                     &tag, &tagLength)
            }
        }
        // HMAC only fails on allocation failure or a broken libcrypto; a wrong tag would silently
        // reject (or worse, accept) signatures, so stop instead of returning garbage.
        precondition(produced != nil && tagLength == UInt32(byteCount), "OpenSSL HMAC-SHA256 failed")
        return Array(tag.prefix(byteCount))
    }

    /// Convenience for `Data`, byte slices and other `DataProtocol` values.
    /// For text, pass `Array(string.utf8)`.
    public static func authenticate<Message: DataProtocol, Key: DataProtocol>(
        _ message: Message, key: Key
    ) -> [UInt8] {
        authenticate([UInt8](message), key: [UInt8](key))
    }
}
