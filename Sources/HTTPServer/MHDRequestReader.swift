import CMicroHTTPD

/// Reads what libmicrohttpd already parsed about a request: headers, query arguments, client address;
/// and decodes the path from the raw request target itself.
enum MHDRequestReader {
    /// The request's path: decoded, or (with its defect) as sent, made printable.
    struct Target {
        let path: String
        let defect: RequestPath.Defect?
    }

    static func head(of connection: OpaquePointer, path: String, method: UnsafePointer<CChar>?) -> RequestHead {
        RequestHead(method: method.map { String(cString: $0) } ?? "",
                    path: path,
                    query: queryArguments(of: connection),
                    headers: headers(of: connection),
                    remoteAddress: remoteAddress(of: connection))
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
        case .success(let path): return Target(path: path, defect: nil)
        case .failure(let defect): return Target(path: asSent(), defect: defect)
        }
    }

    static func headers(of connection: OpaquePointer) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in pairs(of: connection, using: gw_mhd_header_values) {
            headers.add(name: name, value: value ?? "")
        }
        return headers
    }

    /// First value wins when a name repeats: a later `?a=2` must not override an earlier `?a=1`
    /// that something upstream may already have looked at.
    static func queryArguments(of connection: OpaquePointer) -> [String: String] {
        var query: [String: String] = [:]
        for (name, value) in pairs(of: connection, using: gw_mhd_query_values) where query[name] == nil {
            query[name] = value ?? ""
        }
        return query
    }

    static func remoteAddress(of connection: OpaquePointer) -> String? {
        // INET6_ADDRSTRLEN is 46.
        var buffer = [CChar](repeating: 0, count: 64)
        let found = buffer.withUnsafeMutableBufferPointer {
            gw_mhd_client_address(connection, $0.baseAddress, $0.count)
        }
        guard found == 1 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Collects key/value pairs in MHD's order. Values may be absent (a bare `?flag`).
    private static func pairs(
        of connection: OpaquePointer,
        using iterate: (OpaquePointer?, MHD_KeyValueIteratorN?, UnsafeMutableRawPointer?) -> Int32
    ) -> [(String, String?)] {
        let collector = PairCollector()
        let cls = Unmanaged.passUnretained(collector).toOpaque()
        _ = withExtendedLifetime(collector) {
            iterate(connection, { cls, _, key, keySize, value, valueSize in
                guard let cls, let key else { return gw_mhd_yes() }
                let collector = Unmanaged<PairCollector>.fromOpaque(cls).takeUnretainedValue()
                let name = MHDRequestReader.string(key, count: keySize)
                let text = value.map { MHDRequestReader.string($0, count: valueSize) }
                collector.pairs.append((name, text))
                return gw_mhd_yes()
            }, cls)
        }
        return collector.pairs
    }

    /// Bytes as UTF-8; invalid sequences become U+FFFD rather than failing.
    private static func string(_ pointer: UnsafePointer<CChar>, count: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Accumulator passed through MHD's iterator `cls`; lives only for one synchronous iteration.
    private final class PairCollector {
        var pairs: [(String, String?)] = []
    }
}
