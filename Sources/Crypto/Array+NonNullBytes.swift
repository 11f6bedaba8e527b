// Helper shared by the OpenSSL wrappers.

extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never nil, even for an empty array.
    ///
    /// An empty Swift array may hand out a nil base address, and several OpenSSL entry points
    /// treat a NULL pointer as "argument missing" rather than "zero bytes" (HMAC with a NULL key
    /// fails in OpenSSL 3). Passing a pointer to a one-byte dummy with length 0 avoids that.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        if isEmpty {
            var placeholder: UInt8 = 0
            return withUnsafePointer(to: &placeholder) { body($0, 0) }
        }
        return withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
}
