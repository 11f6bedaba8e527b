/// The `store` section: where the database lives and how it is written.
public struct StoreSettings: Sendable, Equatable {
    public var path = "./data/gateway.sqlite"
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
}
