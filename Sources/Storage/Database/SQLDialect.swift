/// Which engine's SQL a connection speaks. Feature SQL is written once for both; where a statement cannot be (an
/// engine-only function, a hint), the switch on ``DatabaseConnection/dialect`` sits next to that statement.
public enum SQLDialect: String, Sendable {
    /// The embedded engine (``SQLiteDatabase``), the default.
    case sqlite
    /// A PostgreSQL server (``PostgresDatabase``).
    case postgres
}
