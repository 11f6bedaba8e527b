import Foundation
import GatewayKit
import Storage

/// One dead-lettered delivery as the admin API and the CLI show it. The body and headers stay in the table (they are
/// replayed byte-for-byte) and are summarised here by size only, so a listing never spills message content.
public struct DeadLetter: Sendable, Equatable {
    public let id: Int64
    public let endpoint: EndpointName
    public let method: String
    public let path: String
    public let idempotencyKey: String
    public let orderingKey: String?
    public let reason: String
    public let errorClass: String
    public let lastStatus: Int?
    public let lastError: String?
    public let responseSnippet: String?
    public let attempts: Int
    public let bodyBytes: Int
    /// Unix ms.
    public let createdAt: Int64
    public let deadAt: Int64
    /// The attempt history as stored (a JSON array of `{at, duration_ms, status?, error_class, error?}`).
    public let history: JSONValue

    static let columns = "id, endpoint, method, path, idempotency_key, ordering_key, reason, error_class, last_status, "
        + "last_error, response_snippet, attempts, length(body) AS body_bytes, created_at, dead_at, history"

    init?(row: Row) {
        guard let id = row.int64("id"), let endpoint = row.string("endpoint"), let method = row.string("method"),
              let key = row.string("idempotency_key"), let reason = row.string("reason"),
              let errorClass = row.string("error_class"), let createdAt = row.int64("created_at"),
              let deadAt = row.int64("dead_at")
        else { return nil }
        self.id = id
        self.endpoint = EndpointName(endpoint)
        self.method = method
        self.path = row.string("path") ?? ""
        self.idempotencyKey = key
        self.orderingKey = row.string("ordering_key")
        self.reason = reason
        self.errorClass = errorClass
        self.lastStatus = row.int("last_status")
        self.lastError = row.string("last_error")
        self.responseSnippet = row.string("response_snippet")
        self.attempts = row.int("attempts") ?? 0
        self.bodyBytes = row.int("body_bytes") ?? 0
        self.createdAt = createdAt
        self.deadAt = deadAt
        self.history = (try? JSONParser.parse(Array((row.string("history") ?? "[]").utf8))) ?? .array([])
    }

    /// The admin API's JSON form; times as RFC 3339 UTC.
    public var json: JSONValue {
        [
            "id": .integer(id), "endpoint": .string(endpoint.rawValue), "method": .string(method), "path": .string(path),
            "idempotency_key": .string(idempotencyKey), "ordering_key": JSONValue(orderingKey),
            "reason": .string(reason), "error_class": .string(errorClass),
            "last_status": JSONValue(lastStatus.map { Int64($0) }), "last_error": JSONValue(lastError),
            "response_snippet": JSONValue(responseSnippet), "attempts": .integer(Int64(attempts)),
            "body_bytes": .integer(Int64(bodyBytes)), "created_at": .string(Self.timestamp(createdAt)),
            "dead_at": .string(Self.timestamp(deadAt)), "history": history,
        ]
    }

    /// Unix ms as RFC 3339 UTC with milliseconds (the one format of API times, ``Timestamps``).
    public static func timestamp(_ millis: Int64) -> String { Timestamps.rfc3339(millis) }
}
