/// The `store` section: where the database lives and how it is written.
public struct StoreSettings: Sendable, Equatable {
    /// The engine: `sqlite` (the default: files under `path`) or `postgres` (a server at `databaseURL`, which
    /// several instances may share).
    public var driver = "sqlite"
    /// The PostgreSQL server's libpq connection string or URL (`postgresql://gateway@db:5432/gateway`). May hold a
    /// password: it is never logged, shown in an error or reported by `/readyz`.
    public var databaseURL = ""
    /// PostgreSQL connections each instance keeps (every unit of work holds one while it runs).
    public var poolSize = 16
    /// How long `/readyz` waits for the PostgreSQL server to answer before calling it unreachable.
    public var readinessTimeoutMilliseconds = 2_000
    public var path = "./data/gateway.sqlite"
    /// The inbox log's database file; empty = beside `path`, `.inbox` before its extension
    /// (`./data/gateway.inbox.sqlite`).
    public var inboxPath = ""
    /// How long the inbox log keeps a delivery after it was recorded, so that a sender's retry within that time gets
    /// the first answer byte for byte (Meta retries for up to 7 days). Later retries are answered as new deliveries;
    /// the items' own dedupe keys still keep them from being applied twice.
    public var inboxLogRetentionMilliseconds: Int = 7 * 86_400_000
    /// SQLite `synchronous`: `full` (default) makes every acknowledged webhook survive power loss; `normal` in WAL
    /// mode survives a process crash (kill -9) but may lose the last commits on power loss, for more throughput.
    public var synchronous = "full"
    public var readerConnections = 2
    public var writerMaxBatch = 512
    public var writerQueueCapacity = 50_000
    /// `/readyz` answers 503 this long after a write the storage refused (full disk, I/O error), even when its
    /// own tiny probe still fits.
    public var readinessFailureWindowMilliseconds = 60_000
    /// `/readyz` answers 503 while the database's file system has less free space than this (MiB).
    public var readinessMinFreeMiB = 64

    public init() {}

    /// True when the store is a PostgreSQL server.
    public var usesPostgres: Bool { driver == "postgres" }

    /// Where the inbox log lives: `inboxPath`, or derived from `path`.
    public var resolvedInboxPath: String {
        guard inboxPath.isEmpty else { return inboxPath }
        let suffix = ".sqlite"
        return path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) + ".inbox" + suffix : path + ".inbox"
    }
}
