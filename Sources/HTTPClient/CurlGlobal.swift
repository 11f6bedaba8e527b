import CCurl

/// Process-wide libcurl initialisation. `curl_global_init` must run once before any other
/// libcurl call; a static `let` gives exactly-once, thread-safe, lazy initialisation.
enum CurlGlobal {
    /// Nil when initialisation succeeded, otherwise the failure every request will report.
    static let initError: ClientError? = {
        let code = curl_global_init(gw_curl_global_all())
        return code == CURLE_OK ? nil : ClientError(curlCode: code, detail: "curl_global_init failed")
    }()
}
