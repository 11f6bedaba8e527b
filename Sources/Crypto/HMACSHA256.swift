import CCrypto
import Foundation

/// HMAC-SHA256 (RFC 2104) computed by OpenSSL's `EVP_MAC` interface.
///
/// Used to verify webhook signatures; compare the result with ``ConstantTime/equals(_:_:)``,
/// never with `==`.
public enum HMACSHA256 {
    /// Length of the authentication tag in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA256 tag of `message` under `key`. Keys of any length are accepted.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Key(key).authenticate(message)
    }

    /// Convenience for `Data`, byte slices and other `DataProtocol` values.
    /// For text, pass `Array(string.utf8)`.
    public static func authenticate<Message: DataProtocol, Key: DataProtocol>(
        _ message: Message, key: Key
    ) -> [UInt8] {
        authenticate([UInt8](message), key: [UInt8](key))
    }

    /// A key set up once for every message signed with it (a webhook secret): each message then starts from a copy
    /// of the keyed state, which saves looking the algorithm up and hashing the key's two padded blocks — over half
    /// of the work for a webhook-sized message. Safe to share between threads: the keyed state is only ever copied.
    public final class Key: @unchecked Sendable {
        private let keyed: OpaquePointer

        public init(_ key: [UInt8]) {
            // Once, under a test's heavy parallel load (thousands of keys set up on many threads at once), libcrypto
            // refused a set-up it accepts every other time; the cause was not found. A refused set-up is tried again
            // a few times before giving up, and giving up names libcrypto's own error. A wrong tag would silently
            // reject (or worse, accept) signatures, so it stops rather than carry on.
            for _ in 0..<5 {
                if let context = Self.keyedContext(key) {
                    keyed = context
                    return
                }
            }
            let code = ERR_peek_last_error()
            var reason = [UInt8](repeating: 0, count: 256)
            reason.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            }
            ERR_clear_error()
            let text = String(decoding: reason.prefix { $0 != 0 }, as: UTF8.self)
            preconditionFailure("OpenSSL HMAC-SHA256 set-up failed: \(text)")
        }

        /// A context keyed with `key`, or nil when libcrypto refuses.
        private static func keyedContext(_ key: [UInt8]) -> OpaquePointer? {
            guard let context = EVP_MAC_CTX_new(HMACSHA256.algorithm) else { return nil }
            let keyed = "SHA256".withCString { digest in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string("digest", UnsafeMutablePointer(mutating: digest), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withNonNullBytes { pointer, count in EVP_MAC_init(context, pointer, count, &parameters) }
            }
            guard keyed == 1 else {
                EVP_MAC_CTX_free(context)
                return nil
            }
            return context
        }

        deinit {
            EVP_MAC_CTX_free(keyed)
        }

        /// The 32-byte tag of `message` under this key.
        public func authenticate(_ message: [UInt8]) -> [UInt8] {
            let context = EVP_MAC_CTX_dup(keyed)
            defer { EVP_MAC_CTX_free(context) }
            var tag = [UInt8](repeating: 0, count: byteCount)
            var tagLength = 0
            let produced = context != nil
                && message.withNonNullBytes { EVP_MAC_update(context, $0, $1) } == 1
                && EVP_MAC_final(context, &tag, &tagLength, byteCount) == 1
            precondition(produced && tagLength == byteCount, "OpenSSL HMAC-SHA256 failed")
            return tag
        }
    }

    /// Looked up once; lives as long as the process and is only read.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)
}
