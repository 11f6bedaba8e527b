/// When a database's write-ahead log is copied into its file, in log frames (one page each).
///
/// A copy writes each page once however many of the log's frames hold a version of it, so the more frames a copy
/// covers, the fewer page writes it makes per transaction: the pages the writer dirties again and again — the last
/// leaves of growing tables, and the leaves of indexes over ids that arrive in no order (message ids, phone numbers,
/// webhook hashes) — are copied once per copy, not once per commit. The log grows to about `beside` frames between
/// copies, and never much past `ceiling`.
public struct CheckpointThresholds: Sendable, Equatable {
    /// Frames written since the last copy after which the checkpointer thread copies them.
    public let beside: Int32
    /// Frames at which the writer copies what is left itself, which lets the log start over.
    public let ceiling: Int32

    public init(beside: Int32, ceiling: Int32) {
        precondition(beside > 0 && ceiling >= beside, "0 < beside <= ceiling")
        self.beside = beside
        self.ceiling = ceiling
    }

    /// 4,000 and 16,000 frames: 16 and 64 MiB of log at 4 KiB pages. Against SQLite's usual 1,000 (and our ceiling of
    /// 8,000 before), the checkpointer's CPU per applied webhook fell by a quarter to a half (`gateway-bench inbound`,
    /// sequential and scattered ids); 16,000 frames saved another quarter of the copying but not of the total.
    public static let standard = CheckpointThresholds(beside: 4_000, ceiling: 16_000)
}
