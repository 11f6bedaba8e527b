import CMicroHTTPD

/// Reads what libmicrohttpd already parsed about a request: headers, query arguments, client address.
enum MHDRequestReader {
    static func head(of connection: OpaquePointer,
                     url: UnsafePointer<CChar>?,
                     method: UnsafePointer<CChar>?) -> RequestHead {
        RequestHead(method: method.map { String(cString: $0) } ?? "",
                    path: url.map { String(cString: $0) } ?? "/",
                    query: queryArguments(of: connection),
                    headers: headers(of: connection),
                    remoteAddress: remoteAddress(of: connection))
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
