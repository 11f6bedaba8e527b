import CCurl

/// Translates a `ClientRequest` into easy-handle options. Pooled handles are not reset between transfers: the
/// options that are the same for every transfer of a client are set once per handle, and every transfer sets all
/// the others itself (method and body included, so nothing of the previous request carries over).
enum TransferOptions {
    /// Configures `transfer.easy` for `request`; throws `.invalidRequest` for requests that
    /// cannot be sent (bad method or header) and for options libcurl refuses.
    static func configure(_ transfer: Transfer, for request: ClientRequest, proxy: String?) throws(ClientError) {
        let handle = transfer.easy.raw
        if !transfer.easy.hasFixedOptions {
            try configureFixed(transfer.easy, proxy: proxy)
            transfer.easy.hasFixedOptions = true
        }
        try check(gw_easy_setopt_str(handle, CURLOPT_URL, request.url), "URL")
        try check(gw_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)), "CONNECTTIMEOUT_MS")
        try check(gw_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout)), "TIMEOUT_MS")
        try check(gw_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, transfer.callbackContext), "WRITEDATA")
        try check(gw_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, transfer.callbackContext), "HEADERDATA")

        let sendsBody = try configureMethod(handle, request)
        transfer.requestHeaders = try headerList(for: request, sendsBody: sendsBody)
        try check(gw_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, transfer.requestHeaders), "HTTPHEADER")
    }

    /// The options every transfer of the client shares, set when a handle is first used.
    private static func configureFixed(_ easy: EasyHandle, proxy: String?) throws(ClientError) {
        let handle = easy.raw
        try check(gw_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, easy.errorBuffer), "ERRORBUFFER")
        // Signals are process-wide and unsafe with many threads; timeouts still work without them.
        try check(gw_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(gw_easy_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR")
        try check(gw_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)), "HTTP_VERSION")
        // "" disables proxies entirely, including http_proxy/https_proxy from the environment.
        try check(gw_easy_setopt_str(handle, CURLOPT_PROXY, proxy ?? ""), "PROXY")
        try check(gw_easy_setopt_write_cb(handle, Transfer.writeCallback), "WRITEFUNCTION")
        try check(gw_easy_setopt_header_cb(handle, Transfer.headerCallback), "HEADERFUNCTION")
    }

    /// Sets the method and body; returns whether a body (possibly empty) is sent.
    private static func configureMethod(_ handle: UnsafeMutableRawPointer, _ request: ClientRequest) throws(ClientError) -> Bool {
        let method = request.method
        guard ClientRequest.isToken(method) else {
            throw .invalidRequest("invalid HTTP method \"\(method)\"")
        }
        // Back to a plain GET (no body, no HEAD, no custom method) whatever the handle's previous transfer was.
        try check(gw_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "HTTPGET")
        try check(gw_easy_setopt_str(handle, CURLOPT_CUSTOMREQUEST, nil), "CUSTOMREQUEST")
        if method == "HEAD" {
            try check(gw_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
            return false
        }
        guard !request.body.isEmpty || sendsBodyWhenEmpty(method) else {
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

    /// `POST`, `PUT` and `PATCH` send `Content-Length: 0` for an empty body. Compared as literals: a set built per
    /// transfer allocated and hashed three strings on the client's thread for every request.
    private static func sendsBodyWhenEmpty(_ method: String) -> Bool {
        method == "POST" || method == "PUT" || method == "PATCH"
    }

    /// The caller's headers plus the suppressions of libcurl defaults we do not want.
    private static func headerList(for request: ClientRequest, sendsBody: Bool) throws(ClientError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasExpect = false
        var hasContentType = false
        var line: [UInt8] = []   // one buffer for every line, instead of a string per header
        line.reserveCapacity(128)
        for (name, value) in request.headers {
            guard ClientRequest.isToken(name) else {
                curl_slist_free_all(list)
                throw .invalidRequest("invalid header name \"\(name)\"")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                curl_slist_free_all(list)
                throw .invalidRequest("header \"\(name)\" contains CR, LF or NUL")
            }
            hasExpect = hasExpect || isNamed(name, "expect")
            hasContentType = hasContentType || isNamed(name, "content-type")
            // libcurl reads "Name:" as "remove this header"; "Name;" sends it with an empty value.
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: name.utf8)
            if value.isEmpty {
                line.append(UInt8(ascii: ";"))
            } else {
                line.append(contentsOf: ": ".utf8)
                line.append(contentsOf: value.utf8)
            }
            line.append(0)
            list = try append(line, to: list)
        }
        // A 100-continue round trip costs up to a second on servers that ignore it.
        if !hasExpect { list = try append("Expect:", to: list) }
        // POSTFIELDS otherwise implies Content-Type: application/x-www-form-urlencoded.
        if sendsBody && !hasContentType { list = try append("Content-Type:", to: list) }
        return list
    }

    /// `list` with `line` appended (libcurl copies it); frees the list when libcurl cannot.
    private static func append(_ line: String, to list: UnsafeMutablePointer<curl_slist>?) throws(ClientError) -> UnsafeMutablePointer<curl_slist>? {
        try appended(curl_slist_append(list, line), to: list)
    }

    /// `list` with the NUL-terminated `line` appended (libcurl copies it); frees the list when libcurl cannot.
    private static func append(_ line: [UInt8], to list: UnsafeMutablePointer<curl_slist>?) throws(ClientError) -> UnsafeMutablePointer<curl_slist>? {
        let result = line.withUnsafeBufferPointer { bytes in
            curl_slist_append(list, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
        return try appended(result, to: list)
    }

    /// `result` of a `curl_slist_append` onto `list`; frees the list and throws when libcurl could not append.
    private static func appended(_ result: UnsafeMutablePointer<curl_slist>?, to list: UnsafeMutablePointer<curl_slist>?) throws(ClientError) -> UnsafeMutablePointer<curl_slist>? {
        guard let appended = result else {
            curl_slist_free_all(list)
            throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
        }
        return appended
    }

    /// True when the header `name` is `lowercased` in any letter case (header names are ASCII tokens).
    private static func isNamed(_ name: String, _ lowercased: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)
        return name.utf8.elementsEqual(expected) { byte, lower in
            (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == lower
        }
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
