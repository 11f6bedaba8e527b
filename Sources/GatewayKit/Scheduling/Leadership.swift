/// Whether this gateway instance is the one that runs the cluster's once-a-day work. A single instance (the embedded
/// store) always is; instances sharing a PostgreSQL database elect one by an advisory lock, and another takes over
/// when its holder dies.
public protocol Leadership: AnyObject, Sendable {
    /// True while this instance leads. May change at any time; a job asks before each pass.
    var isLeader: Bool { get }
}
