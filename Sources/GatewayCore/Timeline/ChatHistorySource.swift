/// Where timeline entries get their chat-history preview: the Chat Panel API in production (an adapter), stubs in
/// tests. One call is one attempt; the ``TimelinePreviewWorker`` decides about retries.
public protocol ChatHistorySource: Sendable {
    /// Fetches the preview of `roomID`'s recent conversation; `completion` runs once, on any thread.
    func fetchPreview(roomID: String, completion: @escaping @Sendable (ChatHistoryResult) -> Void)
    /// Stops outstanding fetches (their completions report a failure) and releases connections.
    func shutdown()
}

/// One fetch attempt's result.
public enum ChatHistoryResult: Sendable, Equatable {
    /// The truncated preview; empty when the room has no messages yet.
    case preview(String)
    case failed(ChatHistoryFailure)
}

/// Why a preview could not be fetched.
public struct ChatHistoryFailure: Sendable, Equatable, Error {
    /// A short class for metric labels: `timeout`, `connection`, `http_5xx`, `http_4xx`, `invalid_response`,
    /// `not_configured`.
    public let reason: String
    /// For the log (never shown to agents).
    public let detail: String
    /// Worth another attempt (timeouts, connection errors, 5xx, 429).
    public let retryable: Bool

    public init(reason: String, detail: String, retryable: Bool) {
        self.reason = reason
        self.detail = detail
        self.retryable = retryable
    }

    public static let notConfigured = ChatHistoryFailure(
        reason: "not_configured", detail: "no Chat Panel URL is configured (CHAT_PANEL_URL)", retryable: false)
}
