import GatewayKit
import Identity
import Storage

/// One renewal cycle as the API shows it, with its attempts.
public struct RenewalRecord: Sendable {
    public let id: Int64
    let row: Row
    public var attempts: [Row] = []

    static let columns = """
        id, oid, fid, due_date, status, stop_reason, renewed_at, new_expiry_date, renewed_after_reminder,
        renewed_after_expiry, replied_at, created_at, updated_at
        """
    static let attemptColumns = """
        id, renewal_id, offset_days, scheduled_date, phone, channel, template, language, result, detail, message_id,
        sent_at, created_at, updated_at
        """

    /// `{"id", "oid", "fid", "due_date", "status", "stop_reason", "reminded", "renewed_at", "new_expiry_date",
    /// "renewed_after_reminder", "renewed_after_expiry", "replied_at", "created_at", "updated_at", "attempts": [{"id",
    /// "offset_days", "scheduled_date", "phone", "channel", "template", "language", "result", "detail", "message_id",
    /// "sent_at", "created_at", "updated_at"}]}` (times RFC 3339 UTC; phones `+60…`, null when the outlet had none).
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        for name in ["oid", "fid", "due_date", "status", "stop_reason", "new_expiry_date"] {
            object[name] = JSONValue(row.string(name))
        }
        object["id"] = .integer(id)
        for name in ["renewed_after_reminder", "renewed_after_expiry"] {
            object[name] = row.int64(name).map { .bool($0 == 1) } ?? .null
        }
        for name in ["renewed_at", "replied_at", "created_at", "updated_at"] {
            object[name] = Self.time(row.int64(name))
        }
        object["reminded"] = .bool(attempts.contains { $0.string("result") == RenewalAttemptResult.sent.rawValue })
        object["attempts"] = .array(attempts.map(Self.attemptJSON))
        return .object(object)
    }

    private static func attemptJSON(_ row: Row) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for name in ["scheduled_date", "channel", "template", "language", "result", "detail"] {
            object[name] = JSONValue(row.string(name))
        }
        for name in ["id", "offset_days", "message_id"] { object[name] = JSONValue(row.int64(name)) }
        for name in ["sent_at", "created_at", "updated_at"] { object[name] = time(row.int64(name)) }
        let phone = row.string("phone") ?? ""
        object["phone"] = phone.isEmpty ? .null : .string(PhoneNumberFormat.display(phone))
        return .object(object)
    }

    private static func time(_ millis: Int64?) -> JSONValue {
        millis.map { .string(Timestamps.rfc3339($0)) } ?? .null
    }
}
