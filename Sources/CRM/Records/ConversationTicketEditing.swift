import Storage

/// What a record command must respect on a WhatsApp conversation ticket, a ticket the support workflow also writes:
/// the workflow refuses changes to the fields it owns and keeps the ticket's history. The record commands ask it
/// inside their transaction; the conversation module provides it.
public protocol ConversationTicketEditing: Sendable {
    /// Throws a ``CommandRejection`` (400 naming each field) when `changed` names a field only the workflow changes.
    func check(_ changed: [String], payloadPath: String) throws
    /// Records an accepted edit of ticket `id` in its history.
    func recordUpdate(_ id: Int64, changed: [String], _ command: RecordCommand, now: Int64,
                      in connection: any DatabaseConnection) throws
    /// Records the deletion of ticket `id` in its history.
    func recordDelete(_ id: Int64, _ command: RecordCommand, now: Int64, in connection: any DatabaseConnection) throws
}
