import Delivery
import GatewayKit
import Storage

/// The record a change is audited under: what was done, to what, with what (no personal data in `detail`: ids, field
/// names, statuses and roles, never names, phones, emails or message text).
public struct AuditEntry: Sendable {
    public let action: String
    public let subjectType: String
    public let subjectID: String?
    public let detail: [String: JSONValue]

    public init(action: String, subjectType: String, subjectID: String?, detail: [String: JSONValue] = [:]) {
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.detail = detail
    }
}

/// Writes `audit_events`, always inside the transaction of the change it records, so the log holds exactly the
/// changes that were committed.
public enum AuditTrail {
    public static func record(_ entry: AuditEntry, by caller: Caller, at now: Int64,
                              in c: any DatabaseConnection) throws {
        let detail: SQLValue = entry.detail.isEmpty ? .null : .text(JSONWriter.string(.object(entry.detail)))
        try c.run("""
            INSERT INTO audit_events (at, actor, credential_id, action, subject_type, subject_id, detail, request_id,
                                      source_ip)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(now), .text(caller.principal.actor), .text(caller.principal.credentialID),
                  .text(entry.action), .text(entry.subjectType), entry.subjectID.map(SQLValue.text) ?? .null, detail,
                  caller.requestID.map(SQLValue.text) ?? .null, caller.sourceIP.map(SQLValue.text) ?? .null])
    }
}

extension Caller {
    /// The audit row of a change this caller makes through a service, as the ``Addendum`` the service writes in its
    /// transaction: `action` on the `subjectType` named by `subject(result)`, with `detail(result)`.
    public func audited<T>(_ action: String, _ subjectType: String, at now: Int64,
                           subject: @escaping @Sendable (T) -> String?,
                           detail: @escaping @Sendable (T) -> [String: JSONValue] = { _ in [:] }) -> Addendum<T> {
        { [self] result, c in
            try AuditTrail.record(AuditEntry(action: action, subjectType: subjectType, subjectID: subject(result),
                                             detail: detail(result)), by: self, at: now, in: c)
        }
    }
}
