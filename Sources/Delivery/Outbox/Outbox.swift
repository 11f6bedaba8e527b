import Foundation
import Storage

/// The one way to schedule an outbound call: write it to the outbox inside the transaction that makes the state
/// change causing it, so the call exists exactly when the change does (no lost calls after a crash, no calls for
/// changes that rolled back).
///
/// ```swift
/// store.database.write({ connection in
///     try connection.run("UPDATE tickets SET status = 'closed' WHERE id = ?", [.integer(id)])
///     try Outbox.enqueue(OutboundMessage(endpoint: "omnichannel", body: event,
///                                        idempotencyKey: "ticket.closed:\(id)"), in: connection)
/// }, completion: { ... })
/// ```
public enum Outbox {
    /// Inserts `message` on `connection`, which must be inside the caller's transaction (a write unit of work
    /// always is). Wakes this database's dispatcher once the transaction has committed — once per
    /// transaction however many rows it enqueued (a group commit holds dozens).
    /// - Parameter now: unix milliseconds of the state change, from the caller's clock.
    /// - Throws: ``OutboxError`` for a message that cannot be sent as given, or the database's error.
    @discardableResult
    public static func enqueue(_ message: OutboundMessage, in connection: any DatabaseConnection,
                               now: Int64) throws -> OutboxEnqueueOutcome {
        try OutboxMessageCheck.validate(message)
        let key = SQLValue.text(message.idempotencyKey)
        let due = SQLValue.integer(max(now, message.notBeforeMillis ?? now))
        var parameters: [SQLValue] = [
            .text(message.endpoint.rawValue), .text(message.method), .text(message.path),
            .text(OutboxHeaderLines.encode(message.headers)), .blob(message.body), key,
            SQLValue(message.orderingKey), SQLValue(message.traceparent), .integer(now), due, due,
        ]
        switch connection.dialect {
        case .sqlite:
            // SQLite probes the dead letters on its own: a single-row `INSERT … VALUES` needs no statement journal,
            // where `INSERT … SELECT` makes it copy every page the insert touches into one first.
            if try connection.queryOne("SELECT 1 FROM dead_letters WHERE idempotency_key = ?", [key]) != nil {
                return .duplicate
            }
        case .postgres:
            parameters.append(key)  // one round trip instead of two; PostgreSQL keeps no statement journal
        }
        try connection.run(insert[connection.dialect], parameters)
        guard connection.changes == 1 else { return .duplicate }
        if connection.dialect == .postgres {
            // Every instance's dispatcher hears of the row when this transaction commits (never if it rolls back;
            // the server folds the same announcement made twice in one transaction into one).
            try connection.run("SELECT pg_notify(?, '')", [.text(ClusterCoordination.outboxChannel)])
        }
        let database = connection.location
        connection.afterCommit(OutboxDoorbell.commitActionKey) { OutboxDoorbell.ring(database: database) }
        return .enqueued(id: connection.lastInsertRowID)
    }

    /// The insert. A key already dead-lettered is a duplicate too, as a key already in the outbox is: replay moves
    /// a dead letter back under the same key.
    private static let insert = DialectStatement { dialect in
        let columns = """
            INSERT INTO outbox (endpoint, method, path, headers, body, idempotency_key, ordering_key, traceparent,
                                created_at, next_attempt_at, first_due_at)
            """
        let values = switch dialect {
        case .sqlite: "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        case .postgres: """
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE idempotency_key = ?)
            """
        }
        return columns + "\n" + values + "\nON CONFLICT (idempotency_key) DO NOTHING"
    }
}
