import CMicroHTTPD

/// Reads what libmicrohttpd already parsed about a request: headers, query arguments, client address;
/// and decodes the path from the raw request target itself.
enum MHDRequestReader {
    /// The request's path: decoded, or (with its defect) as sent, made printable.
    struct Target {
        let path: String
        let defect: RequestPath.Defect?
        /// False only when the whole target as sent is known and has no `?`: then MHD parsed no query arguments.
        var mayHaveQuery = true
    }

    /// `remoteAddress` is the connection's, read once when it opened.
    static func head(of connection: OpaquePointer, target: Target, method: UnsafePointer<CChar>?,
                     remoteAddress: String?) -> RequestHead {
        RequestHead(method: method.map { String(cString: $0) } ?? "",
                    path: target.path,
                    query: target.mayHaveQuery ? queryArguments(of: connection) : [:],
                    headers: headers(of: connection),
                    remoteAddress: remoteAddress)
    }

    /// Decodes `raw`, the target as kept from the request line. A NUL byte in the target ended that copy early;
    /// it shows as a copy shorter than the span MHD delimited between `url` and `version`. Without a copy (not
    /// expected: the request-line callback always makes one) MHD's own decoding of `url` is used.
    static func target(raw: [UInt8]?, url: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?,
                       headSize: Int) -> Target {
        guard let raw else {
            return Target(path: url.map { String(cString: $0) } ?? "/", defect: nil)
        }
        let asSent = { RequestPath.printable(RequestPath.rawPath(of: raw)) }
        let span = gw_mhd_target_span(url, version, headSize)
        if span >= 0 && raw.count < span {
            return Target(path: asSent(), defect: .nul)
        }
        switch RequestPath.decode(target: raw) {
        case .success(let path): return Target(path: path, defect: nil, mayHaveQuery: raw.contains(UInt8(ascii: "?")))
        case .failure(let defect): return Target(path: asSent(), defect: defect)
        }
    }

    static func headers(of connection: OpaquePointer) -> HTTPHeaders {
        var headers = HTTPHeaders(capacity: expectedHeaderFields)
        forEachPair(of: connection, using: gw_mhd_header_values) { name, value in
            headers.add(name: name, value: value ?? "")
        }
        return headers
    }

    /// Header fields most requests stay within (a webhook sends four or five, a browser about a dozen).
    static let expectedHeaderFields = 12

    /// First value wins when a name repeats: a later `?a=2` must not override an earlier `?a=1`
    /// that something upstream may already have looked at.
    static func queryArguments(of connection: OpaquePointer) -> [String: String] {
        var query: [String: String] = [:]
        forEachPair(of: connection, using: gw_mhd_query_values) { name, value in
            if query[name] == nil { query[name] = value ?? "" }
        }
        return query
    }

    static func remoteAddress(of connection: OpaquePointer) -> String? {
        // INET6_ADDRSTRLEN is 46.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            guard gw_mhd_client_address(connection, buffer.baseAddress, buffer.count) == 1 else { return nil }
            return String(cString: buffer.baseAddress!)
        }
    }

    /// Visits key/value pairs in MHD's order. Values may be absent (a bare `?flag`). `visit` reaches MHD's C
    /// callback through its `cls` pointer, so nothing is allocated to carry it.
    private static func forEachPair(
        of connection: OpaquePointer,
        using iterate: (OpaquePointer?, MHD_KeyValueIteratorN?, UnsafeMutableRawPointer?) -> Int32,
        _ visit: (String, String?) -> Void
    ) {
        withoutActuallyEscaping(visit) { visit in
            var visitor = visit
            _ = withUnsafeMutablePointer(to: &visitor) { pointer in
                iterate(connection, { cls, _, key, keySize, value, valueSize in
                    guard let cls, let key else { return gw_mhd_yes() }
                    let visit = cls.assumingMemoryBound(to: ((String, String?) -> Void).self).pointee
                    visit(MHDRequestReader.string(key, count: keySize),
                          value.map { MHDRequestReader.string($0, count: valueSize) })
                    return gw_mhd_yes()
                }, pointer)
            }
        }
    }

    /// Bytes as UTF-8; invalid sequences become U+FFFD rather than failing.
    private static func string(_ pointer: UnsafePointer<CChar>, count: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
