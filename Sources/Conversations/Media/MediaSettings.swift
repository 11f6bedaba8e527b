import Foundation

/// How inbound WhatsApp media is downloaded and kept: where the files go, the size cap, how long they are kept and
/// how downloads are retried. Loaded from the `media` section (see `Config/gateway.example.json`); times in
/// milliseconds.
public struct MediaSettings: Sendable, Equatable {
    /// Folder of the stored files (content-addressed by SHA-256); empty = a `media` folder beside the database.
    public var directory = ""
    /// The largest file kept, whatever its kind; each kind also has the Cloud API's own limit
    /// (``WhatsAppMediaType/maxBytes``), and the smaller of the two applies.
    public var maxBytes = 16 * 1_048_576
    /// How long a stored file is kept after its download; then it is removed and the message's media is `expired`.
    /// 0 keeps files forever.
    public var retentionMilliseconds = 180 * 86_400_000
    /// Download attempts before a media is recorded `failed` (`gave_up`).
    public var maxAttempts = 8
    /// Wait before the first retry; each further retry waits twice as long, at most an hour.
    public var retryDelayMilliseconds = 30_000
    /// The longest one request to the Cloud API (metadata or file) may take.
    public var downloadTimeoutMilliseconds = 60_000
    /// Downloads run at the same time.
    public var concurrency = 2
    /// How often the downloader looks for due downloads when nothing woke it.
    public var pollIntervalMilliseconds = 1_000

    public init() {}

    /// The folder files are stored in, with the default resolved against the database file `databasePath`.
    public func resolvedDirectory(databasePath: String) -> String {
        guard directory.isEmpty else { return directory }
        return URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("media").path
    }
}
