import CCurl

/// Owns one libcurl easy handle and the error buffer libcurl writes its detailed messages into.
/// Not thread-safe: lives on the client's loop thread.
final class EasyHandle {
    /// The `CURL *` passed to libcurl calls.
    let raw: UnsafeMutableRawPointer
    /// `CURL_ERROR_SIZE` bytes registered with `CURLOPT_ERRORBUFFER` for every transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// Whether the options every transfer shares (``TransferOptions``) are set; they survive reuse.
    var hasFixedOptions = false

    /// Nil when libcurl cannot allocate a handle.
    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(gw_curl_error_size()))
        errorBuffer.initialize(to: 0)
    }

    /// libcurl's message for the last failure on this handle, or "" if it wrote none.
    var errorMessage: String { String(cString: errorBuffer) }

    /// Readies the handle for its next transfer without `curl_easy_reset`: the next transfer sets
    /// every option that differs between transfers, so only what could dangle or hold memory is
    /// dropped here (the header list belongs to the finished transfer; the copy of its body is
    /// freed). The handle keeps its allocated buffers and its shared options, which is what makes
    /// reuse cheaper than a fresh handle.
    func prepareForReuse() {
        gw_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, nil)
        gw_easy_setopt_ptr(raw, CURLOPT_POSTFIELDS, nil)
        errorBuffer[0] = 0
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }
}
