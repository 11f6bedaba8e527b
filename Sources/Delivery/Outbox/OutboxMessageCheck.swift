import HTTPClient

/// Rejects messages the dispatcher could not send as given, at enqueue time, where the caller's bug is visible,
/// rather than as a dead letter hours later.
enum OutboxMessageCheck {
    /// Headers the dispatcher owns: signing, tracing, credentials and framing.
    static let reservedHeaders: Set<String> = [
        "webhook-id", "webhook-timestamp", "webhook-signature", "traceparent", "authorization", "content-length",
        "host", "transfer-encoding", "connection", "expect",
    ]

    static func validate(_ message: OutboundMessage) throws(OutboxError) {
        guard message.endpoint.isValid else {
            throw .invalidMessage(field: "endpoint", reason: "must use a-z, 0-9, _ and - (at most 64)")
        }
        guard ClientRequest.isToken(message.method) else {
            throw .invalidMessage(field: "method", reason: "must be an HTTP method token")
        }
        guard message.path.isEmpty || (message.path.hasPrefix("/") && isVisibleASCII(message.path)) else {
            throw .invalidMessage(field: "path", reason: "must be empty or start with / and hold no spaces or controls")
        }
        guard !message.idempotencyKey.isEmpty, message.idempotencyKey.utf8.count <= 255,
              isVisibleASCII(message.idempotencyKey)
        else {
            throw .invalidMessage(field: "idempotencyKey", reason: "must be 1-255 visible ASCII characters")
        }
        if let key = message.orderingKey, key.isEmpty {
            throw .invalidMessage(field: "orderingKey", reason: "must be nil or non-empty")
        }
        for (name, value) in message.headers {
            guard ClientRequest.isToken(name) else {
                throw .invalidMessage(field: "headers", reason: "has an invalid header name")
            }
            guard !reservedHeaders.contains(name.lowercased()) else {
                throw .invalidMessage(field: "headers", reason: "may not set \(name.lowercased()) (the dispatcher does)")
            }
            guard !value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 }) else {
                throw .invalidMessage(field: "headers", reason: "has a value with control characters")
            }
        }
    }

    private static func isVisibleASCII(_ text: String) -> Bool {
        // Over the string's stored bytes where it has them: walking its UTF-8 view byte by byte costs several times
        // as much, and every enqueued message checks its path and idempotency key.
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isVisibleASCII) }
            ?? text.utf8.allSatisfy(isVisibleASCII)
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
