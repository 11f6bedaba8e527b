/// Heap bytes SQLite holds for connections, by its own count: what a soak subtracts from the heap in use to see
/// whether the rest levels off.
public struct SQLiteMemory: AdditiveArithmetic, Sendable {
    /// Page caches: each grows up to its connection's `PRAGMA cache_size`.
    public var pageCache = 0
    /// Prepared statements and the schema they were compiled against: bounded by the statement cache.
    public var statements = 0

    public init(pageCache: Int = 0, statements: Int = 0) {
        (self.pageCache, self.statements) = (pageCache, statements)
    }

    public var total: Int { pageCache + statements }

    public static let zero = SQLiteMemory()

    public static func + (lhs: SQLiteMemory, rhs: SQLiteMemory) -> SQLiteMemory {
        SQLiteMemory(pageCache: lhs.pageCache + rhs.pageCache, statements: lhs.statements + rhs.statements)
    }

    public static func - (lhs: SQLiteMemory, rhs: SQLiteMemory) -> SQLiteMemory {
        SQLiteMemory(pageCache: lhs.pageCache - rhs.pageCache, statements: lhs.statements - rhs.statements)
    }
}
