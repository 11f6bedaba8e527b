extension DatabaseConnection {
    /// Makes every other transaction that names one of `keys` here wait until this one has ended, as SQLite's single
    /// writer makes every transaction wait: for a read-then-write that must not interleave with another for the same
    /// thing (two deliveries of one new customer resolve to one customer). Nothing to do on SQLite; on PostgreSQL,
    /// transaction advisory locks, taken in one order so that two transactions cannot wait for each other.
    /// The keys are only built on PostgreSQL (they cost a string each on the embedded engine's hot paths).
    public func serialize(on keys: @autoclosure () -> [String]) throws {
        guard dialect == .postgres else { return }
        for key in Set(keys()).sorted() {
            try run("SELECT pg_advisory_xact_lock(?)", [.integer(AdvisoryLockKey.of(key))])
        }
    }
}

/// The 64-bit number PostgreSQL's advisory locks take, for a name: its ``StableHash``, the same in every instance.
public enum AdvisoryLockKey {
    public static func of(_ name: String) -> Int64 { StableHash.of(name) }
}

/// FNV-1a over a string's UTF-8 bytes as a signed 64-bit value: the same in every process and build (Swift's
/// `hashValue` is seeded per process), for numbers stored or shared between instances — dedupe keys, lock names.
public enum StableHash {
    public static func of(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
