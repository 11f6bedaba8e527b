import CCrypto
import Foundation

/// SHA-256 (FIPS 180-4) via OpenSSL's `EVP_Digest`, with the algorithm looked up once.
public enum SHA256Digest {
    /// Length of a digest in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let produced = bytes.withNonNullBytes { pointer, count in
            EVP_Digest(pointer, count, &digest, &length, algorithm, nil)
        }
        precondition(produced == 1 && length == UInt32(byteCount), "OpenSSL SHA256 failed")
        return digest
    }

    /// Convenience for `Data`, byte slices and other `DataProtocol` values.
    public static func hash<Bytes: DataProtocol>(_ bytes: Bytes) -> [UInt8] {
        hash([UInt8](bytes))
    }

    /// Returns the digest of `bytes` as 64 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) -> String {
        Hex.encode(hash(bytes))
    }

    /// Looked up once (the one-shot `SHA256()` looks it up on every call); lives as long as the process and is only read.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
}
