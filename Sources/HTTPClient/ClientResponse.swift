/// A complete HTTP response of any status. Non-2xx statuses are responses, not errors:
/// deciding what a 429 or 500 means is the caller's job.
public struct ClientResponse: Sendable {
    /// HTTP status code of the final response (interim `1xx` responses are skipped).
    public let status: Int
    /// Headers of the final response in arrival order, names lowercased, values trimmed.
    public let headers: [(String, String)]
    /// The first `maxResponseBytes` bytes of the body.
    public let body: [UInt8]
    /// True when the server sent more than `maxResponseBytes`; the client then stopped reading
    /// and closed that connection rather than download bytes it would throw away.
    public let truncated: Bool
    /// Seconds from start to end of the transfer (libcurl's `CURLINFO_TOTAL_TIME`).
    public let totalTime: Double

    public init(status: Int, headers: [(String, String)], body: [UInt8], truncated: Bool = false, totalTime: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.truncated = truncated
        self.totalTime = totalTime
    }

    /// Value of the first header called `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0 == wanted }?.1
    }
}
