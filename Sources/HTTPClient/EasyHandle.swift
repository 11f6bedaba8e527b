import CCurl

/// Owns one libcurl easy handle and the error buffer libcurl writes its detailed messages into.
/// Not thread-safe: lives on the client's loop thread.
final class EasyHandle {
    /// The `CURL *` passed to libcurl calls.
    let raw: UnsafeMutableRawPointer
    /// `CURL_ERROR_SIZE` bytes registered with `CURLOPT_ERRORBUFFER` for every transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Nil when libcurl cannot allocate a handle.
    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(gw_curl_error_size()))
        errorBuffer.initialize(to: 0)
    }

    /// libcurl's message for the last failure on this handle, or "" if it wrote none.
    var errorMessage: String { String(cString: errorBuffer) }

    /// Returns every option to its default so the next transfer starts clean. The handle keeps
    /// its allocated buffers, which is what makes reuse cheaper than a fresh handle.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }
}
