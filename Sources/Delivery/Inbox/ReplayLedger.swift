import Storage

/// The answer a synchronously applied command got, as it is stored for replays.
public struct CommandReply: Sendable, Equatable {
    public let status: Int
    /// Serialized JSON, or empty (204).
    public let body: [UInt8]
    /// True when this is the stored answer to an earlier identical request (nothing was applied now).
    public let replayed: Bool

    public init(status: Int, body: [UInt8], replayed: Bool = false) {
        self.status = status
        self.body = body
        self.replayed = replayed
    }
}

/// Remembers the answers of applied commands under the caller's idempotency key (a webhook id, an
/// `Idempotency-Key`), inside the command's transaction: a repeat gets the first answer and applies nothing, and a
/// command that was rejected leaves no entry (a retry is judged afresh).
public protocol ReplayLedger: Sendable {
    /// The stored answer for this request, if any. Throws ``CommandRejection`` when the key was used for a
    /// different request.
    func storedReply(in connection: any DatabaseConnection) throws -> CommandReply?
    /// Stores `reply` as this request's answer.
    func record(_ reply: CommandReply, in connection: any DatabaseConnection) throws
}
