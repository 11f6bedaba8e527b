import GatewayKit
import Storage

/// One row of `whatsapp_outbound_messages`: a send, where it got to, and why it failed if it did.
public struct WhatsAppOutboundMessage: Sendable, Equatable {
    public let id: Int64
    /// Phone digits or BSUID.
    public let recipient: String
    /// `phone` or `bsuid`.
    public let recipientType: String
    /// `text`, `template` or `interactive_list`.
    public let contentKind: String
    public let templateName: String?
    public let language: String?
    /// The exact Cloud API request body sent.
    public let requestBody: String
    public let purpose: String
    public let reference: String?
    public let idempotencyKey: String
    public let status: WhatsAppMessageStatus
    /// Meta's message id, once the Cloud API accepted the send.
    public let wamid: String?
    public let error: WhatsAppMessageError?
    /// Send attempts so far.
    public let attempts: Int
    /// Unix ms.
    public let createdAt: Int64
    /// When each status was reported (unix ms); `queued` is ``createdAt``.
    public let reportedAt: [WhatsAppMessageStatus: Int64]
    public let updatedAt: Int64

    static let columns = """
        id, recipient, recipient_type, content_kind, template_name, language, request_body, purpose, reference,
        idempotency_key, status, wamid, error_code, error_title, error_detail, attempts, created_at, accepted_at,
        sent_at, delivered_at, read_at, failed_at, updated_at
        """

    init?(row: Row) {
        guard let id = row.int64("id"), let recipient = row.string("recipient"),
              let recipientType = row.string("recipient_type"), let contentKind = row.string("content_kind"),
              let requestBody = row.string("request_body"), let purpose = row.string("purpose"),
              let idempotencyKey = row.string("idempotency_key"),
              let status = row.string("status").flatMap(WhatsAppMessageStatus.init(rawValue:)),
              let createdAt = row.int64("created_at"), let updatedAt = row.int64("updated_at")
        else { return nil }
        self.id = id
        self.recipient = recipient
        self.recipientType = recipientType
        self.contentKind = contentKind
        templateName = row.string("template_name")
        language = row.string("language")
        self.requestBody = requestBody
        self.purpose = purpose
        reference = row.string("reference")
        self.idempotencyKey = idempotencyKey
        self.status = status
        wamid = row.string("wamid")
        error = WhatsAppMessageError(row: row)
        attempts = row.int("attempts") ?? 0
        self.createdAt = createdAt
        reportedAt = Dictionary(uniqueKeysWithValues: WhatsAppMessageStatus.allCases.compactMap { status in
            status.timestampColumn.flatMap { row.int64($0) }.map { (status, $0) }
        })
        self.updatedAt = updatedAt
    }

    /// The admin API form: `{"id", "to", "recipient_type", "content_kind", "template"?, "language"?, "purpose",
    /// "reference", "status", "wamid", "error": {"code", "title", "detail"} | null, "attempts", "request",
    /// "created_at", "accepted_at", "sent_at", "failed_at", "delivered_at", "read_at", "updated_at"}` (unix ms).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(id), "to": .string(recipient), "recipient_type": .string(recipientType),
            "content_kind": .string(contentKind), "purpose": .string(purpose), "status": .string(status.rawValue),
            "attempts": .integer(Int64(attempts)), "created_at": .integer(createdAt), "updated_at": .integer(updatedAt),
            "idempotency_key": .string(idempotencyKey), "request": (try? JSONParser.parse(Array(requestBody.utf8))) ?? .null,
            "reference": reference.map(JSONValue.string) ?? .null, "wamid": wamid.map(JSONValue.string) ?? .null,
            "error": error?.json ?? .null,
        ]
        object.put("template", templateName)
        object.put("language", language)
        for status in WhatsAppMessageStatus.allCases {
            guard let column = status.timestampColumn else { continue }
            object[column] = reportedAt[status].map(JSONValue.integer) ?? .null
        }
        return .object(object)
    }
}

/// Why a message failed: the Cloud API's (or Meta's status report's) error code, title and details; or, for
/// failures without a Meta error (a refused token, an endpoint without URL), no code and the gateway's reason.
public struct WhatsAppMessageError: Sendable, Equatable {
    public let code: Int64?
    public let title: String
    public let detail: String?

    public init(code: Int64?, title: String, detail: String?) {
        self.code = code
        self.title = title
        self.detail = detail
    }

    /// From the `error_code`, `error_title`, `error_detail` columns; nil without a title.
    init?(row: Row) {
        guard let title = row.string("error_title") else { return nil }
        self.init(code: row.int64("error_code"), title: title, detail: row.string("error_detail"))
    }

    var json: JSONValue {
        ["code": code.map(JSONValue.integer) ?? .null, "title": .string(title),
         "detail": detail.map(JSONValue.string) ?? .null]
    }
}
