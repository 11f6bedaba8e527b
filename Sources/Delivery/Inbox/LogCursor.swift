import Storage

/// Where the normalizer stands in the inbox log: the ``LogPosition`` of the last logged delivery recorded in the
/// domain database, kept in `gateway_meta` and moved in the same transaction as what was recorded — so after a crash
/// the deliveries past it are simply read again.
enum LogCursor {
    /// `gateway_meta` keys: the position's id, and its transaction (none stored = 0, as on the embedded log and before
    /// the log recorded transactions).
    static let key = "inbox_log_cursor"
    static let transactionKey = "inbox_log_cursor_txid"

    static func read(in connection: any DatabaseConnection) throws -> LogPosition {
        let transaction = try GatewayMeta.value(transactionKey, in: connection).flatMap { Int64($0) } ?? 0
        let id = try GatewayMeta.value(key, in: connection).flatMap { Int64($0) } ?? 0
        return LogPosition(transaction: transaction, id: id)
    }

    /// Moves the cursor from `recorded` (where it is) to `position`; the transaction only when it changes (never on the
    /// embedded log).
    static func set(_ position: LogPosition, from recorded: LogPosition, in connection: any DatabaseConnection) throws {
        if position.transaction != recorded.transaction {
            try GatewayMeta.set(transactionKey, to: String(position.transaction), in: connection)
        }
        try GatewayMeta.set(key, to: String(position.id), in: connection)
    }

    /// Moves the cursor from `expected` to `position` if it is still at `expected`, in one statement (reading and
    /// writing it in one); throws ``CursorMovedError`` when it is not — an earlier operation that was to move it there
    /// did not commit, so this one must not either.
    static func move(from expected: LogPosition, to position: LogPosition, in connection: any DatabaseConnection) throws {
        guard expected.transaction == position.transaction else {
            guard try read(in: connection) == expected else { throw CursorMovedError(expected: expected) }
            return try set(position, from: expected, in: connection)
        }
        if expected.id == 0 {
            // At the start the row may not exist yet.
            try connection.run("""
                INSERT INTO gateway_meta (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE gateway_meta.value = '0'
                """, [.text(key), .text(String(position.id))])
        } else {
            try connection.run("UPDATE gateway_meta SET value = ? WHERE key = ? AND value = ?",
                               [.text(String(position.id)), .text(key), .text(String(expected.id))])
        }
        guard connection.changes == 1 else { throw CursorMovedError(expected: expected) }
    }
}

/// A normalizer pass was read past an earlier one that did not commit: nothing of it is recorded, and the deliveries
/// are read again from the cursor.
public struct CursorMovedError: Error, CustomStringConvertible {
    public let expected: LogPosition
    public var description: String { "the inbox log cursor is no longer at \(expected)" }
}
