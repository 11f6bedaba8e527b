import CCurl

/// Translates a `ClientRequest` into easy-handle options. Every option is set on every
/// transfer because pooled handles come back from `curl_easy_reset` with all defaults.
enum TransferOptions {
    /// Configures `transfer.easy` for `request`; throws `.invalidRequest` for requests that
    /// cannot be sent (bad method or header) and for options libcurl refuses.
    static func configure(_ transfer: Transfer, for request: ClientRequest, proxy: String?) throws(ClientError) {
        let handle = transfer.easy.raw
        try check(gw_easy_setopt_str(handle, CURLOPT_URL, request.url), "URL")
        try check(gw_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, transfer.easy.errorBuffer), "ERRORBUFFER")
        // Signals are process-wide and unsafe with many threads; timeouts still work without them.
        try check(gw_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(gw_easy_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR")
        try check(gw_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)), "HTTP_VERSION")
        // "" disables proxies entirely, including http_proxy/https_proxy from the environment.
        try check(gw_easy_setopt_str(handle, CURLOPT_PROXY, proxy ?? ""), "PROXY")
        try check(gw_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)), "CONNECTTIMEOUT_MS")
        try check(gw_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout)), "TIMEOUT_MS")

        try check(gw_easy_setopt_write_cb(handle, Transfer.writeCallback), "WRITEFUNCTION")
        try check(gw_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, transfer.callbackContext), "WRITEDATA")
        try check(gw_easy_setopt_header_cb(handle, Transfer.headerCallback), "HEADERFUNCTION")
        try check(gw_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, transfer.callbackContext), "HEADERDATA")

        let sendsBody = try configureMethod(handle, request)
        transfer.requestHeaders = try headerList(for: request, sendsBody: sendsBody)
        try check(gw_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, transfer.requestHeaders), "HTTPHEADER")
    }

    /// Sets the method and body; returns whether a body (possibly empty) is sent.
    private static func configureMethod(_ handle: UnsafeMutableRawPointer, _ request: ClientRequest) throws(ClientError) -> Bool {
        let method = request.method
        guard ClientRequest.isToken(method) else {
            throw .invalidRequest("invalid HTTP method \"\(method)\"")
        }
        if method == "HEAD" {
            try check(gw_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
            return false
        }
        let bodyMethods: Set<String> = ["POST", "PUT", "PATCH"]
        guard !request.body.isEmpty || bodyMethods.contains(method) else {
            if method != "GET" {
                try check(gw_easy_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST")
            }
            return false
        }
        // COPYPOSTFIELDS with the size set first copies exactly that many bytes, NUL bytes
        // included, and keeps libcurl from reading the body through a read callback.
        try check(gw_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "POSTFIELDSIZE_LARGE")
        let code = request.body.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else {
                // An empty array may have no address; libcurl needs a non-NULL pointer even for 0 bytes.
                return gw_easy_setopt_str(handle, CURLOPT_COPYPOSTFIELDS, "")
            }
            return gw_easy_setopt_str(handle, CURLOPT_COPYPOSTFIELDS, base.assumingMemoryBound(to: CChar.self))
        }
        try check(code, "COPYPOSTFIELDS")
        if method != "POST" {
            try check(gw_easy_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST")
        }
        return true
    }

    /// The caller's headers plus the suppressions of libcurl defaults we do not want.
    private static func headerList(for request: ClientRequest, sendsBody: Bool) throws(ClientError) -> UnsafeMutablePointer<curl_slist>? {
        var lines: [String] = []
        lines.reserveCapacity(request.headers.count + 2)
        var hasExpect = false
        var hasContentType = false
        for (name, value) in request.headers {
            guard ClientRequest.isToken(name) else {
                throw .invalidRequest("invalid header name \"\(name)\"")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("header \"\(name)\" contains CR, LF or NUL")
            }
            let lowered = name.lowercased()
            hasExpect = hasExpect || lowered == "expect"
            hasContentType = hasContentType || lowered == "content-type"
            // libcurl reads "Name:" as "remove this header"; "Name;" sends it with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // A 100-continue round trip costs up to a second on servers that ignore it.
        if !hasExpect { lines.append("Expect:") }
        // POSTFIELDS otherwise implies Content-Type: application/x-www-form-urlencoded.
        if sendsBody && !hasContentType { lines.append("Content-Type:") }

        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = appended
        }
        return list
    }

    private static func check(_ code: CURLcode, _ option: String) throws(ClientError) {
        guard code == CURLE_OK else {
            throw .invalidRequest("CURLOPT_\(option): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// libcurl treats 0 as "no limit", so positive sub-millisecond values round up, not down.
    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        let exact = min(seconds * 1000, Double(Int32.max))
        let whole = Int(exact)   // truncation, then round up by hand: no libm dependency
        return Double(whole) < exact ? whole + 1 : whole
    }
}
