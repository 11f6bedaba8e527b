import GatewayKit
/// What applying a record command did: the answer for the caller, and the side facts the reporter turns into logs
/// and metrics once the transaction has committed.
public struct AppliedCommand: Sendable {
    /// 201 created, 200 updated (or unchanged), 204 deleted (or already deleted).
    public let status: Int
    /// The record after the command (nil for deletes, whose answer has no body).
    public let record: StoredRecord?
    public var effects = CommandEffects()

    public init(status: Int, record: StoredRecord?, effects: CommandEffects = CommandEffects()) {
        self.status = status
        self.record = record
        self.effects = effects
    }
}

/// The facts about one applied command that are worth a log line or a counter.
public struct CommandEffects: Sendable, Equatable {
    /// What Omnichannel hears about the change.
    public enum Refresh: Sendable, Equatable {
        /// Nothing a room shows changed.
        case none
        /// An event was written to the outbox.
        case enqueued(event: String)
        /// A room's preview would change, but the record was not created by a bot or AI, or a newer record
        /// already holds the room.
        case notPropagated(event: String, reason: String)
    }

    public var refresh = Refresh.none
    /// A `contact_id` that names no contact: the record was written without it (and the gap is logged).
    public var unknownContactID: String?
    /// An update's `contact_id` was ignored because the record already has a contact (never overridden).
    public var keptContact = false
    /// A timeline entry was written (the preview fetch has work).
    public var wroteTimelineEntry = false
    /// The command changed nothing: an update with the stored values, a delete of a deleted record.
    public var unchanged = false

    public init() {}
}

/// A command the current state refuses (unknown record, a write-once field changed). Thrown inside the transaction
/// so nothing of the command is written, and no event leaves.
public struct CommandRejection: Error, Sendable {
    public let error: GatewayError

    public init(_ error: GatewayError) {
        self.error = error
    }
}
