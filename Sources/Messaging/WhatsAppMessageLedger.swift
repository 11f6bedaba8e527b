import Storage

/// Every status change of `whatsapp_outbound_messages`, from both directions: the dispatcher's outcome of a send
/// (accepted with its `wamid`, retried, refused) and Meta's status webhooks. Changes only move up the status rank
/// (see ``WhatsAppMessageStatus``); statuses for a `wamid` no message has yet are kept and applied when the send's
/// answer records that `wamid` — Meta's `sent` can overtake the HTTP answer of the send itself.
///
/// All methods run on the writer's connection inside the caller's transaction; listeners are told each change there.
public struct WhatsAppMessageLedger: Sendable {
    private let listeners: [any WhatsAppStatusListener]

    public init(listeners: [any WhatsAppStatusListener] = []) {
        self.listeners = listeners
    }

    /// What a webhook status did.
    public enum StatusOutcome: Sendable, Equatable {
        /// Applied to the message (whether or not it moved its status).
        case applied
        /// No message has this `wamid` yet: kept until one does.
        case unmatched
    }

    // MARK: Dispatcher outcomes

    /// The Cloud API accepted the send (2xx). Records the `wamid` — also after an earlier refusal that an operator
    /// replayed — and applies statuses that were waiting for it.
    func accepted(_ message: WhatsAppOutboundMessage, wamid: String?, attempts: Int, at: Int64,
                  in connection: any DatabaseConnection) throws {
        guard message.wamid == nil else { return try counted(message, attempts: attempts, at: at, in: connection) }
        try connection.run("""
            UPDATE whatsapp_outbound_messages SET wamid = ?, status = 'accepted', accepted_at = coalesce(accepted_at, ?),
                error_code = NULL, error_title = NULL, error_detail = NULL, attempts = ?, updated_at = ?
            WHERE id = ?
            """, [SQLValue(wamid), .integer(at), .integer(Int64(attempts)), .integer(at), .integer(message.id)])
        try announce(message, in: connection)
        if let wamid { try applyWaiting(wamid, to: message.id, at: at, in: connection) }
    }

    /// The send was refused for good (rejected or dead-lettered): `failed` with the error.
    func refused(_ message: WhatsAppOutboundMessage, error: WhatsAppMessageError, attempts: Int, at: Int64,
                 in connection: any DatabaseConnection) throws {
        try counted(message, attempts: attempts, at: at, in: connection)
        try advance(message, to: .failed, at: at, error: error, in: connection)
    }

    /// A failed attempt that will be retried: the count and the last error, status unchanged.
    func retrying(_ message: WhatsAppOutboundMessage, error: WhatsAppMessageError, attempts: Int, at: Int64,
                  in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE whatsapp_outbound_messages SET attempts = ?, error_code = ?, error_title = ?, error_detail = ?,
                updated_at = ?
            WHERE id = ?
            """, [.integer(Int64(attempts)), SQLValue(error.code), .text(error.title), SQLValue(error.detail),
                  .integer(at), .integer(message.id)])
    }

    // MARK: Webhook statuses

    /// A delivery status Meta reported for `wamid` at `at` (unix ms).
    public func report(wamid: String, status: WhatsAppMessageStatus, at: Int64, error: WhatsAppMessageError?,
                       receivedAt: Int64, in connection: any DatabaseConnection) throws -> StatusOutcome {
        if let message = try WhatsAppOutboundTable.message(wamid: wamid, in: connection) {
            try advance(message, to: status, at: at, error: error, in: connection)
            return .applied
        }
        try connection.run("""
            INSERT INTO whatsapp_unmatched_statuses (wamid, status, occurred_at, error_code, error_title, error_detail,
                                                     received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wamid, status) DO NOTHING
            """, [.text(wamid), .text(status.rawValue), .integer(at), SQLValue(error?.code), SQLValue(error?.title),
                  SQLValue(error?.detail), .integer(receivedAt)])
        return .unmatched
    }

    // MARK: Shared

    /// Applies the statuses kept for `wamid` (lowest rank first, as they would have come) and forgets them.
    private func applyWaiting(_ wamid: String, to id: Int64, at: Int64, in connection: any DatabaseConnection) throws {
        let waiting = try connection.query("""
            SELECT status, occurred_at, error_code, error_title, error_detail FROM whatsapp_unmatched_statuses
            WHERE wamid = ?
            """, [.text(wamid)]).compactMap { row in
            row.string("status").flatMap(WhatsAppMessageStatus.init(rawValue:)).map { (status: $0, row: row) }
        }
        for (status, row) in waiting.sorted(by: { $0.status.rank < $1.status.rank }) {
            guard let current = try WhatsAppOutboundTable.message(id: id, in: connection) else { break }
            try advance(current, to: status, at: row.int64("occurred_at") ?? at, error: WhatsAppMessageError(row: row),
                        in: connection)
        }
        try connection.run("DELETE FROM whatsapp_unmatched_statuses WHERE wamid = ?", [.text(wamid)])
    }

    /// Records when `status` was reported and moves the message to it when it ranks higher; the error is kept only
    /// when the message becomes `failed`.
    private func advance(_ message: WhatsAppOutboundMessage, to status: WhatsAppMessageStatus, at: Int64,
                         error: WhatsAppMessageError?, in connection: any DatabaseConnection) throws {
        guard let column = status.timestampColumn else { return }
        let moves = status.rank > message.status.rank
        let kept = moves && status == .failed ? error : message.error
        try connection.run("""
            UPDATE whatsapp_outbound_messages SET \(column) = coalesce(\(column), ?), status = ?, error_code = ?,
                error_title = ?, error_detail = ?, updated_at = CASE WHEN updated_at > ? THEN updated_at ELSE ? END
            WHERE id = ?
            """, [.integer(at), .text((moves ? status : message.status).rawValue), SQLValue(kept?.code),
                  SQLValue(kept?.title), SQLValue(kept?.detail), .integer(at), .integer(at), .integer(message.id)])
        if moves { try announce(message, in: connection) }
    }

    private func counted(_ message: WhatsAppOutboundMessage, attempts: Int, at: Int64,
                         in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE whatsapp_outbound_messages SET attempts = ?,
                updated_at = CASE WHEN updated_at > ? THEN updated_at ELSE ? END
            WHERE id = ?
            """, [.integer(Int64(attempts)), .integer(at), .integer(at), .integer(message.id)])
    }

    /// Tells the listeners when the status of `before` changed.
    private func announce(_ before: WhatsAppOutboundMessage, in connection: any DatabaseConnection) throws {
        guard !listeners.isEmpty, let after = try WhatsAppOutboundTable.message(id: before.id, in: connection),
              after.status != before.status
        else { return }
        let change = WhatsAppStatusChange(message: after, previous: before.status)
        for listener in listeners { try listener.statusChanged(change, in: connection) }
    }
}
