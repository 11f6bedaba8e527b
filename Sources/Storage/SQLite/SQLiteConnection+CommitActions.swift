/// Wake-ups that must wait for a commit.
///
/// Code deep inside a transaction (an outbox insert, a timeline entry) often has someone to wake — a dispatcher, a
/// worker — who will then read what was written. Waking them from inside the transaction is early (they find
/// nothing yet, or queue behind it) and, inside a group commit of dozens of operations, repeated. An action
/// registered here runs once per key, on the committing thread, right after `COMMIT` succeeded; a transaction that
/// rolls back drops its actions.
///
/// Actions are hints, not effects: one registered by an operation whose savepoint was later rolled back still runs
/// if the enclosing transaction commits. Keep them short and harmless to run spuriously (signal a condition).
extension SQLiteConnection {
    /// Runs `action` once the open transaction has committed; a later registration under the same `key` in the same
    /// transaction is ignored. Outside a transaction the statement already committed, so `action` runs at once.
    public func afterCommit(_ key: String, _ action: @escaping @Sendable () -> Void) {
        guard isInTransaction else {
            action()
            return
        }
        guard !commitActions.contains(where: { $0.key == key }) else { return }
        commitActions.append((key, action))
    }

    /// Runs and clears the registered actions (after a successful `COMMIT`).
    func runCommitActions() {
        let actions = commitActions
        commitActions.removeAll(keepingCapacity: true)
        for entry in actions { entry.action() }
    }

    /// Drops the registered actions (the transaction rolled back).
    func discardCommitActions() {
        commitActions.removeAll(keepingCapacity: true)
    }
}
