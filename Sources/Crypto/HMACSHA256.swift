import CCrypto
import Foundation

/// HMAC-SHA256 (RFC 2104) over OpenSSL's SHA-256.
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

    /// A key set up once for every message signed with it (a webhook secret): the SHA-256 states after its inner and
    /// outer padded blocks. Each message starts from copies of them on the stack — nothing allocated, and the key's
    /// two blocks, over half of the work for a webhook-sized message, not hashed again. Safe to share between
    /// threads: the keyed states are only ever copied.
    public final class Key: @unchecked Sendable {
        private let keyed: UnsafeMutablePointer<gw_hmac_sha256_key>

        public init(_ key: [UInt8]) {
            keyed = .allocate(capacity: 1)
            key.withUnsafeBufferPointer { gw_hmac_sha256_key_init(keyed, $0.baseAddress, $0.count) }
        }

        deinit {
            OPENSSL_cleanse(keyed, MemoryLayout<gw_hmac_sha256_key>.size)
            keyed.deallocate()
        }

        /// The 32-byte tag of `message` under this key.
        public func authenticate(_ message: [UInt8]) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: byteCount) { tag, initialized in
                message.withUnsafeBufferPointer { gw_hmac_sha256(keyed, $0.baseAddress, $0.count, tag.baseAddress) }
                initialized = byteCount
            }
        }
    }
}
