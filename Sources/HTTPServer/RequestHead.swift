import Foundation

/// Everything about a request except its body, captured when libmicrohttpd first presents it.
struct RequestHead: Sendable {
    let method: String
    let path: String
    let query: [String: String]
    let headers: HTTPHeaders
    let remoteAddress: String?

    /// The declared body length, if the client sent a Content-Length that parses. libmicrohttpd
    /// itself rejects malformed values with 400 before we see the request, so nil mostly means
    /// "chunked or no body".
    var declaredContentLength: UInt64? {
        headers["Content-Length"].flatMap(Self.contentLength)
    }

    /// Decimal digits between optional spaces and tabs, as HTTP allows around a field value; nil for anything
    /// else or a value beyond `UInt64`. Read byte by byte: it runs for every request.
    static func contentLength(_ value: String) -> UInt64? {
        var utf8 = Substring(value).utf8
        while let first = utf8.first, first == 0x20 || first == 0x09 { utf8.removeFirst() }
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8.removeLast() }
        guard !utf8.isEmpty else { return nil }
        var length: UInt64 = 0
        for byte in utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            let (times10, overflow) = length.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow && !carry else { return nil }
            length = sum
        }
        return length
    }

    func request(body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: method, path: path, query: query, headers: headers,
                    body: body, remoteAddress: remoteAddress)
    }
}
