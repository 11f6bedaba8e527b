import Foundation
import GatewayKit
import Storage

extension PostgresLeader: Leadership {}

/// What instances sharing one PostgreSQL database agree on, per instance: who runs the once-a-day jobs and the
/// inbox's normalization (the leader, by advisory lock, taken over when it dies), a doorbell that wakes every
/// instance's dispatcher when any instance enqueues (LISTEN/NOTIFY), and how many instances are alive (to share
/// per-endpoint rate limits). On the embedded store there is one instance: it leads, its own doorbell suffices and
/// it is alone — ``ClusterCoordination/single``.
public final class ClusterCoordination: Service, @unchecked Sendable {
    /// The notification channel an enqueue announces itself on.
    public static let outboxChannel = "gateway_outbox"
    /// The session name every instance's listener carries; counting those sessions counts live instances.
    static let instanceSessionName = "gateway_instance"
    /// The advisory lock number of the cluster's leader.
    static let leaderLock: Int64 = 0x6761_7465_7761_7901  // "gateway" + 1

    /// Who leads; nil on a single instance (it always does).
    public let leadership: (any Leadership)?
    private let leader: PostgresLeader?
    private let listener: PostgresListener?
    private let database: PostgresDatabase?
    private let lock = NSLock()
    private var counted = 1
    private var counter: DispatchSourceTimer?

    private init(leader: PostgresLeader?, listener: PostgresListener?, database: PostgresDatabase?) {
        self.leader = leader
        self.leadership = leader
        self.listener = listener
        self.database = database
    }

    /// One instance alone on its embedded store.
    public static var single: ClusterCoordination { ClusterCoordination(leader: nil, listener: nil, database: nil) }

    /// The coordination of `store`: a cluster's on PostgreSQL, ``single`` otherwise.
    public static func of(_ store: any GatewayStore, settings: StoreSettings) -> ClusterCoordination {
        guard let postgres = store as? PostgresGatewayStore else { return .single }
        let location = postgres.database.location
        let listener = PostgresListener(
            connectionString: settings.databaseURL, channels: [outboxChannel], applicationName: instanceSessionName,
            heard: { _, _ in OutboxDoorbell.ring(database: location) },
            // Announcements made while the session was away are lost: look at the outbox once.
            reconnected: { OutboxDoorbell.ring(database: location) })
        return ClusterCoordination(leader: PostgresLeader(connectionString: settings.databaseURL, key: leaderLock),
                                   listener: listener, database: postgres.postgres)
    }

    /// `gateway_cluster_leader` (1 while this instance leads) and `gateway_cluster_instances` (live instances).
    public func registerGauges(in metrics: MetricsRegistry) {
        metrics.registerGauge("gateway_cluster_leader", help: "1 while this instance runs the daily jobs and the "
                              + "inbound side (always on one instance alone)") { [weak self] in
            [(labels: [], value: (self?.leadership?.isLeader ?? true) ? 1 : 0)]
        }
        metrics.registerGauge("gateway_cluster_instances", help: "Gateway instances sharing this database, "
                              + "counted by their listening sessions") { [weak self] in
            [(labels: [], value: Double(self?.liveInstances ?? 1))]
        }
    }

    public func start() throws {
        leader?.start()
        listener?.start()
        guard database != nil else { return }
        let counter = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "cluster-count"))
        counter.schedule(deadline: .now(), repeating: .seconds(2))
        counter.setEventHandler { [weak self] in self?.count() }
        lock.withLock { self.counter = counter }
        counter.resume()
    }

    public func stop() {
        lock.withLock { counter }?.cancel()
        listener?.stop()
        leader?.stop()
    }

    /// Instances alive (their listener sessions, counted every 2 seconds off the callers' threads); 1 on a single
    /// instance, and the last count while the count cannot be read.
    public var liveInstances: Int { lock.withLock { counted } }

    private func count() {
        let count = try? database?.read { c in
            // pg_stat_activity lists the sessions of every database on the server: only this database's instances
            // share its endpoints' limits (another deployment on the same server is not one of them).
            try c.queryOne("""
                SELECT count(*) AS instances FROM pg_stat_activity
                WHERE application_name = ? AND datname = current_database()
                """, [.text(Self.instanceSessionName)])?.int("instances")
        }
        if let count = count ?? nil { lock.withLock { counted = max(1, count) } }
    }
}
