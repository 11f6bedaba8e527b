/// An RFC 9457 problem document (`application/problem+json`): what the client receives for every error.
public struct Problem: Sendable, Equatable {
    public static let contentType = "application/problem+json"

    public let status: Int
    public let type: String
    public let title: String
    public let detail: String
    public let errors: [FieldError]
    /// Seconds the client should wait before retrying (429, 503), sent as `Retry-After`.
    public let retryAfterSeconds: Int?
    /// RFC 9457 extension members (e.g. both contact ids of an identifier conflict).
    public let extensions: [String: String]

    public init(status: Int, type: String, title: String, detail: String, errors: [FieldError] = [],
                retryAfterSeconds: Int? = nil, extensions: [String: String] = [:]) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retryAfterSeconds = retryAfterSeconds
        self.extensions = extensions
    }

    /// The exact detail the CRM shows when a BSUID-linked phone is edited or deleted (a fixed string CRM clients
    /// match on).
    public static let phoneLinkedDetail = "Phone is linked to BSUID and cannot be modified"

    /// The single mapping from domain errors to HTTP.
    public init(_ error: GatewayError) {
        switch error {
        case .malformedJSON(let parseError):
            let isUTF8 = parseError.reason == .invalidUTF8
            var field = "body"
            if case .duplicateKey(let key) = parseError.reason { field = key }
            self.init(status: 400, type: isUTF8 ? "invalid-utf8" : "malformed-json",
                      title: isUTF8 ? "Body is not valid UTF-8" : "Body is not valid JSON",
                      detail: parseError.description,
                      errors: [FieldError(field: field, message: parseError.description)])
        case .validation(let errors):
            let fields = errors.map(\.field).joined(separator: ", ")
            self.init(status: 400, type: "validation-error", title: "Request body failed validation",
                      detail: "invalid fields: \(fields)", errors: errors)
        case .unauthenticated(let reason):
            self.init(status: 401, type: "invalid-signature", title: "Webhook signature rejected",
                      detail: Self.describe(reason))
        case .unauthorized(let detail):
            self.init(status: 401, type: "unauthorized", title: "Authentication required", detail: detail)
        case .forbidden(let detail):
            self.init(status: 403, type: "forbidden", title: "Forbidden", detail: detail)
        case .notFound(let detail):
            self.init(status: 404, type: "not-found", title: "Not found", detail: detail)
        case .gone(let detail):
            self.init(status: 410, type: "gone", title: "Gone", detail: detail)
        case .methodNotAllowed(let allowed):
            self.init(status: 405, type: "method-not-allowed", title: "Method not allowed",
                      detail: "allowed: \(allowed.joined(separator: ", "))")
        case .payloadTooLarge(let limit):
            self.init(status: 413, type: "payload-too-large", title: "Payload too large",
                      detail: "the body exceeds the limit of \(limit) bytes",
                      errors: [FieldError(field: "body", message: "exceeds \(limit) bytes")])
        case .conflict(let detail):
            self.init(status: 409, type: "conflict", title: "Conflict", detail: detail)
        case .invalidTransition(let from, let to):
            self.init(status: 409, type: "invalid-transition", title: "Status change not allowed",
                      detail: "a ticket cannot move from \(from) to \(to)",
                      errors: [FieldError(field: "status", message: "cannot move from \(from) to \(to)")],
                      extensions: ["from_status": from, "to_status": to])
        case .identifierConflict(let field, let value, let contactID, let other):
            self.init(status: 409, type: "identifier-conflict", title: "Identifier belongs to another contact",
                      detail: "\(field) \(value) already belongs to contact \(other); it cannot be added to contact \(contactID)",
                      errors: [FieldError(field: field, message: "already belongs to contact \(other)")],
                      extensions: ["contact_id": contactID, "conflicting_contact_id": other])
        case .phoneLinkedToBSUID(let phone, let bsuid):
            self.init(status: 400, type: "phone-linked-to-bsuid", title: "Phone is read-only",
                      detail: Self.phoneLinkedDetail,
                      errors: [FieldError(field: "phones", message: "+\(phone) is linked to BSUID \(bsuid)")])
        case .staleVersion(let current):
            self.init(status: 412, type: "stale-version", title: "The record changed",
                      detail: "it is at version \(current) now: read it again and retry with If-Match: \"\(current)\"",
                      errors: [FieldError(field: "If-Match", message: "is not the current version (\(current))")],
                      extensions: ["current_version": String(current)])
        case .claimedByAnother(let holder, let until):
            self.init(status: 409, type: "claimed", title: "Someone else is handling this ticket",
                      detail: "\(holder) is handling this ticket until \(Timestamps.rfc3339(until))",
                      extensions: ["claimed_by": holder, "claimed_until": Timestamps.rfc3339(until)])
        case .tooManyRequests(let detail, let seconds):
            self.init(status: 429, type: "too-many-requests", title: "Too many requests", detail: detail,
                      retryAfterSeconds: max(1, seconds))
        case .storeUnavailable(let detail):
            self.init(status: 503, type: "store-unavailable", title: "Store unavailable",
                      detail: "not acknowledged, retry later: \(detail)", retryAfterSeconds: 5)
        case .overloaded:
            self.init(status: 503, type: "overloaded", title: "Overloaded",
                      detail: "the write queue is full; not acknowledged, retry later", retryAfterSeconds: 1)
        case .notConfigured(let setting):
            self.init(status: 503, type: "not-configured", title: "Not configured",
                      detail: "the gateway is missing a setting: \(setting)")
        case .internalError(let detail):
            self.init(status: 500, type: "internal-error", title: "Internal error", detail: detail)
        }
    }

    private static func describe(_ reason: VerificationError) -> String {
        switch reason {
        case .notConfigured: return "no signing secret is configured for this endpoint"
        case .missingHeader(let name): return "missing header \(name)"
        case .malformedHeader(let name): return "malformed header \(name)"
        case .signatureMismatch: return "signature does not match"
        case .timestampOutOfTolerance: return "webhook-timestamp is outside the allowed tolerance"
        }
    }

    /// The JSON body, with `type` as a relative URI under `/problems/`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "type": .string("/problems/\(type)"),
            "title": .string(title),
            "status": .integer(Int64(status)),
            "detail": .string(detail),
        ]
        for (key, value) in extensions where members[key] == nil { members[key] = .string(value) }
        if !errors.isEmpty {
            members["errors"] = .array(errors.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        return .object(members)
    }
}
