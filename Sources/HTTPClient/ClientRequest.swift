/// One outbound HTTP request, described as plain values so it can cross threads freely.
///
/// The body is sent byte-for-byte (NUL bytes included) with an explicit `Content-Length`.
/// Only the headers given here are added to what libcurl always sends (`Host`, `Accept: */*`,
/// `Content-Length`); libcurl's implicit `Content-Type: application/x-www-form-urlencoded`
/// and `Expect: 100-continue` are suppressed.
public struct ClientRequest: Sendable {
    /// HTTP method token, e.g. `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`.
    public var method: String
    /// Absolute `http://` or `https://` URL. Other schemes fail with `ClientError.invalidRequest`.
    public var url: String
    /// Request headers in sending order. An empty value sends the header with an empty value.
    public var headers: [(String, String)]
    /// Request body. Sent for every method except `HEAD`; `POST`, `PUT` and `PATCH` send
    /// `Content-Length: 0` when it is empty.
    public var body: [UInt8]
    /// Seconds allowed for DNS + TCP (+ TLS) connect. `0` means libcurl's default (300 s).
    public var connectTimeout: Double
    /// Seconds allowed for the whole transfer, including time spent waiting for a free
    /// connection under the client's connection limits. `0` means no limit.
    public var totalTimeout: Double

    public init(
        method: String = "GET",
        url: String,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        connectTimeout: Double = 5,
        totalTimeout: Double = 15
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    /// True for a non-empty RFC 9110 token: what methods and header names must be.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
