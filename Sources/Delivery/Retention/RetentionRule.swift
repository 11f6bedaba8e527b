import Storage

/// One kind of stored data with how long it is kept: the module that owns the data says how to remove (or empty)
/// what is older, in batches, and the retention sweep runs every rule daily and from `gateway purge`.
public struct RetentionRule: Sendable {
    /// What the rule removes: the `what` label of `gateway_retention_purged_total`, the word in logs.
    public let name: String
    /// How long data is kept, milliseconds; 0 keeps it forever (the rule does not run).
    public let keepMilliseconds: Int64
    /// Removes or empties up to `limit` rows older than `before` (unix ms); the rows changed. A batch that changes
    /// fewer than `limit` rows is the last.
    public let purge: @Sendable (_ before: Int64, _ limit: Int, _ connection: any DatabaseConnection) throws -> Int

    public init(_ name: String, keep keepMilliseconds: Int64,
                purge: @escaping @Sendable (_ before: Int64, _ limit: Int, _ connection: any DatabaseConnection) throws -> Int) {
        self.name = name
        self.keepMilliseconds = keepMilliseconds
        self.purge = purge
    }
}

/// Runs retention rules against a database, each in short batches (one writer transaction each), so a running
/// gateway's writes interleave with it.
public enum RetentionSweep {
    /// Rows changed per rule name (rules that keep forever are left out).
    public static func run(_ rules: [RetentionRule], on database: any Database, now: Int64,
                           batchSize: Int = 1_000) throws -> [String: Int] {
        var report: [String: Int] = [:]
        for rule in rules where rule.keepMilliseconds > 0 {
            let before = now - rule.keepMilliseconds
            var total = 0
            while true {
                let changed = try database.write { try rule.purge(before, batchSize, $0) }
                total += changed
                if changed < batchSize { break }
            }
            report[rule.name] = total
        }
        return report
    }
}
