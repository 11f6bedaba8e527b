/// An error reported by PostgreSQL (or libpq), with its SQLSTATE. Only SQL text is ever attached, never bound values or
/// the connection string (it may hold a password).
public struct PostgresError: DatabaseError {
    /// The five-character SQLSTATE (`23505` unique violation, `40001` serialization failure, …); `08000` when the
    /// connection itself failed.
    public let sqlState: String
    public let message: String
    /// The statement, when one failed.
    public let sql: String?

    public init(sqlState: String, message: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// Class 23: unique, not null, check, foreign key.
    public var isConstraintViolation: Bool { sqlState.hasPrefix("23") }
    /// Serialization failure, deadlock, lock not available: the same transaction may succeed when run again.
    public var isBusy: Bool { ["40001", "40P01", "55P03"].contains(sqlState) }
    /// Out of disk or memory, I/O errors, the server gone or refusing connections.
    public var isStorageFailure: Bool {
        sqlState.hasPrefix("53") || sqlState.hasPrefix("58") || sqlState.hasPrefix("08") || sqlState.hasPrefix("57")
    }

    public var description: String {
        "PostgreSQL \(sqlState): \(message)" + (sql.map { " (in: \($0.prefix(200)))" } ?? "")
    }
}
