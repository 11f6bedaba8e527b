import Storage

extension Outbox {
    /// Deletes the call `idempotencyKey` if it has not been tried yet (queued, not claimed, no attempt) — for a call
    /// scheduled for later whose reason went away before its time (a reminder to an outlet that renewed meanwhile).
    /// Returns false when the call is in flight, was tried or delivered, or is unknown: then it stands.
    /// Runs inside the caller's transaction, like ``enqueue(_:in:now:)``.
    public static func withdraw(idempotencyKey: String, in connection: any DatabaseConnection) throws -> Bool {
        try connection.run("DELETE FROM outbox WHERE idempotency_key = ? AND status = 'pending' AND attempts = 0",
                           [.text(idempotencyKey)])
        return connection.changes == 1
    }
}
