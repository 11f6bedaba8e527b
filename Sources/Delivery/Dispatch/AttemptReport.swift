import GatewayKit
import HTTPClient

/// What one delivery attempt did, in the form the outbox records it (attempt history, last status/error, the dead
/// letter's response snippet).
struct AttemptReport: Sendable {
    /// Response bodies kept on dead letters and in logs are cut to this many bytes.
    static let snippetLimit = 1024
    /// Error texts (libcurl's messages) are cut to this many characters.
    static let errorLimit = 300

    /// Unix ms when the request was started.
    let startedAt: Int64
    /// Measured on the monotonic clock (the injected clock may stand still in tests or jump).
    let durationSeconds: Double
    /// The HTTP status, when there was a response.
    let status: Int?
    /// nil when delivered (2xx).
    let errorClass: DeliveryErrorClass?
    let error: String?
    let responseSnippet: String?
    /// A receiver's `Retry-After` (or a classifier's floor), in milliseconds from the end of the attempt.
    let retryAfterMillis: Int?
    /// The whole answer, kept only for endpoints with an ``OutboundDeliveryObserver``.
    private(set) var responseBody: [UInt8]?

    init(startedAt: Int64, durationSeconds: Double, status: Int?, errorClass: DeliveryErrorClass?, error: String?,
         responseSnippet: String? = nil, retryAfterMillis: Int? = nil) {
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.status = status
        self.errorClass = errorClass
        self.error = error.map { String($0.prefix(Self.errorLimit)) }
        self.responseSnippet = responseSnippet
        self.retryAfterMillis = retryAfterMillis
    }

    /// Reads a finished request: 2xx is delivered; any other status or transport error is classified — by the
    /// endpoint's `classifier` when it has one, else by the status alone.
    /// - Parameters:
    ///   - finishedAt: unix ms when the answer arrived (for a `Retry-After` date).
    ///   - keepBody: keep the whole answer in ``responseBody`` (for an endpoint's observer).
    init(result: Result<ClientResponse, ClientError>, startedAt: Int64, finishedAt: Int64, durationSeconds: Double,
         classifier: (any DeliveryResponseClassifier)? = nil, keepBody: Bool = false) {
        let duration = max(0, durationSeconds)
        let response: ClientResponse
        switch result {
        case .success(let answer):
            response = answer
        case .failure(let failure):
            self.init(startedAt: startedAt, durationSeconds: duration, status: nil,
                      errorClass: DeliveryErrorClass(failure), error: Self.message(failure))
            return
        }
        let status = response.status
        let snippet = String(decoding: response.body.prefix(Self.snippetLimit), as: UTF8.self)
        let retryAfter = RetryAfter.milliseconds(response.header("retry-after"), now: finishedAt)
        let errorClass: DeliveryErrorClass?
        var error = "HTTP \(status)"
        var notBefore = retryAfter
        switch classifier?.classify(status: status, body: response.body) ?? .statusRules {
        case .statusRules:
            errorClass = (200..<300).contains(status) ? nil : DeliveryErrorClass(status: status)
        case .delivered:
            errorClass = nil
        case .retry(let text, let floor):
            (errorClass, error) = (.rateLimited, text)
            notBefore = [retryAfter, floor].compactMap { $0 }.max()
        case .rejected(let text):
            (errorClass, error) = (.rejected, text)
        case .permanent(let text):
            (errorClass, error) = (.refused, text)
        }
        self.init(startedAt: startedAt, durationSeconds: duration, status: status, errorClass: errorClass,
                  error: errorClass == nil ? nil : error, responseSnippet: errorClass == nil ? nil : snippet,
                  retryAfterMillis: errorClass == nil ? nil : notBefore)
        if keepBody { responseBody = response.body }
    }

    var delivered: Bool { errorClass == nil }

    var durationMillis: Int { Int((durationSeconds * 1000).rounded()) }

    /// Unix ms when the attempt ended.
    var finishedAt: Int64 { startedAt + Int64(durationMillis) }

    /// One element of the `history` JSON array.
    var historyEntry: JSONValue {
        var entry: [String: JSONValue] = ["at": .integer(startedAt), "duration_ms": .integer(Int64(durationMillis))]
        if let status { entry["status"] = .integer(Int64(status)) }
        if let errorClass { entry["error_class"] = .string(errorClass.rawValue) }
        if let error { entry["error"] = .string(error) }
        return .object(entry)
    }

    private static func message(_ error: ClientError) -> String {
        switch error {
        case .couldNotConnect(let m), .timedOut(let m), .tls(let m), .sendOrReceive(let m), .invalidRequest(let m):
            return m
        case .shutDown: return "client shut down"
        case .other(let code, let m): return "curl \(code): \(m)"
        }
    }
}
