/// SQLite's `PRAGMA synchronous` setting: how often SQLite waits for fsync.
///
/// In WAL mode `.full` syncs the WAL on every commit, so a committed transaction survives power
/// loss; `.normal` may lose the last commits on power loss (not on a process crash).
public enum SynchronousLevel: String, Sendable {
    case off
    case normal
    case full
    case extra
}
