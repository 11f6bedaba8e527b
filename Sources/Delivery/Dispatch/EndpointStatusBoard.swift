import Foundation

/// The dispatcher's endpoint states as other threads see them (``OutboxDispatcher/status``): a snapshot the dispatcher
/// thread takes every few milliseconds, not per event, so a busy dispatcher does not spend its time copying.
final class EndpointStatusBoard: @unchecked Sendable {
    /// Shortest time between two snapshots.
    static let intervalMilliseconds: Int64 = 20

    private let lock = NSLock()
    private var published: [EndpointStatus]
    /// Dispatcher-thread state: monotonic time of the last snapshot, and whether one was skipped since (the
    /// dispatcher then wakes within the interval to take it).
    private var lastPublishUptime: UInt64 = 0
    private(set) var pending = false

    init(_ lanes: [EndpointName: EndpointLane]) {
        published = Self.snapshot(lanes)
    }

    /// The latest snapshot, sorted by endpoint name.
    var current: [EndpointStatus] {
        lock.lock()
        defer { lock.unlock() }
        return published
    }

    /// Takes a snapshot of `lanes` unless the last one is too recent (`force` takes it anyway). Dispatcher thread only.
    func publish(_ lanes: [EndpointName: EndpointLane], force: Bool) {
        let uptime = DispatchTime.now().uptimeNanoseconds
        pending = !force && uptime - lastPublishUptime < UInt64(Self.intervalMilliseconds) * 1_000_000
        guard !pending else { return }
        lastPublishUptime = uptime
        let snapshot = Self.snapshot(lanes)
        lock.lock()
        published = snapshot
        lock.unlock()
    }

    private static func snapshot(_ lanes: [EndpointName: EndpointLane]) -> [EndpointStatus] {
        lanes.values.map(EndpointStatus.init).sorted { $0.endpoint < $1.endpoint }
    }
}
