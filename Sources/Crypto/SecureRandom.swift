import CCrypto
import Foundation
import Synchronization

/// Cryptographically secure random bytes from the kernel's generator (`getrandom(2)`), the source OpenSSL's
/// `RAND_bytes` seeds itself from. Small requests — the ids made for every request and every delivery — are served
/// from a pool fetched a few kilobytes at a time, one system call for hundreds of ids instead of one each; each byte
/// is handed out once and wiped from the pool as it is.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// Traps if the kernel cannot produce random bytes: callers use these for secrets and tokens,
    /// and carrying on with predictable bytes would be worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "invalid random byte count \(count)")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
    }

    /// Fills `buffer` with random bytes, small ones from the pool like ``bytes(_:)``: for ids written straight into
    /// their final storage, with no array of random bytes made and dropped on the way.
    public static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        guard !buffer.isEmpty else { return }
        if buffer.count <= Pool.largestServed {
            pool.withLock { $0.take(into: buffer) }
        } else {
            fill(UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Fills `buffer` from the kernel's generator.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count {
            // Large requests may come back in parts; a signal may interrupt the wait for an unseeded pool.
            let got = getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
            if got < 0 && errno == EINTR { continue }
            precondition(got > 0, "getrandom failed (errno \(errno))")
            filled += got
        }
    }

    private static let pool = Mutex(Pool())

    /// Random bytes fetched ahead; those before `next` were handed out and are zero.
    private struct Pool: ~Copyable {
        static let size = 4096
        static let largestServed = 64
        var bytes = [UInt8](repeating: 0, count: size)
        var next = size

        mutating func take(into buffer: UnsafeMutableBufferPointer<UInt8>) {
            if next + buffer.count > Self.size {
                bytes.withUnsafeMutableBytes { SecureRandom.fill($0) }
                next = 0
            }
            bytes.withUnsafeMutableBufferPointer { pool in
                let taken = UnsafeMutableBufferPointer(rebasing: pool[next..<next + buffer.count])
                _ = buffer.initialize(fromContentsOf: taken)
                taken.update(repeating: 0)
            }
            next += buffer.count
        }
    }

    /// Returns `byteCount` random bytes as URL-safe base64 without padding (RFC 4648 §5),
    /// so the token can go into URLs, headers and file names unescaped. 32 bytes give 43 characters.
    public static func token(byteCount: Int = 32) -> String {
        Base64.encodeURLSafe(bytes(byteCount))
    }
}
