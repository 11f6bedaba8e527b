import Foundation

/// The long-lived bodies (event streams) a daemon is sending. They end only when their client leaves, so a stop or a
/// hand-over to the next daemon ends them itself: each body finishes cleanly, its client reconnects (to the
/// successor, or once the server is back), and no connection is left suspended when MHD stops — which MHD punishes
/// with a panic.
final class LiveStreams: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [ObjectIdentifier: HTTPBodyStream] = [:]
    private var ending = false

    /// Streams being sent now.
    var count: Int { lock.withLock { streams.count } }

    /// Tracks `stream` until its connection is done with it; one that starts after ``endAll()`` is ended at once.
    func add(_ stream: HTTPBodyStream) {
        let endNow = lock.withLock {
            if !ending { streams[ObjectIdentifier(stream)] = stream }
            return ending
        }
        if endNow { stream.end() }
    }

    func remove(_ stream: HTTPBodyStream) {
        _ = lock.withLock { streams.removeValue(forKey: ObjectIdentifier(stream)) }
    }

    /// Ends every stream, now and from here on.
    func endAll() {
        let all = lock.withLock {
            ending = true
            return Array(streams.values)
        }
        for stream in all { stream.end() }
    }
}
