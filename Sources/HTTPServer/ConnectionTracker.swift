import CMicroHTTPD
import CThreadName
import Foundation

/// Deadlines for slow clients, which libmicrohttpd's own timeout cannot enforce: that one is an inactivity timeout,
/// restarted by every byte, so a client trickling one byte a second keeps a connection forever.
///
/// Every connection has a record (created and dropped by MHD's connection notifications, carried in its socket
/// context) saying what the connection waits for and by when: the request head (from the moment it is ready for a
/// request: accepted, or its previous response sent), then the body (from the complete head), then nothing while
/// the handler works and the response goes out. A sweeper thread shuts down the socket of every connection past its
/// deadline; MHD's thread then sees end-of-stream and closes the connection the ordinary way. The records and the
/// sweep share one lock, and MHD's close notification takes it before MHD closes the socket, so the sweeper never
/// touches a descriptor that was closed or reused.
///
/// Runs alongside MHD's thread pool: records are changed on the MHD thread that owns the connection, the sweep on
/// its own thread.
final class ConnectionTracker: @unchecked Sendable {
    /// One open connection. Fields are guarded by the tracker's lock.
    final class Record: @unchecked Sendable {
        fileprivate let socket: Int32
        /// The client's numeric address, read once for all the connection's requests.
        let remoteAddress: String?
        /// Monotonic nanoseconds; nil while no deadline runs (handler working, response going out).
        fileprivate var deadline: UInt64?
        fileprivate var cut = false
        /// The current request's target as sent, from the request line until the head is complete.
        fileprivate var rawTarget: [UInt8]?

        fileprivate init(socket: Int32, remoteAddress: String?) {
            self.socket = socket
            self.remoteAddress = remoteAddress
        }
    }

    private let headTimeout: UInt64?
    private let bodyTimeout: UInt64?
    private let sweepInterval: TimeInterval

    private let lock = NSLock()
    private var records: [ObjectIdentifier: Record] = [:]

    private let sweepCondition = NSCondition()
    private var sweeping = false
    private var sweeperDone: DispatchSemaphore?

    init(headTimeoutSeconds: UInt32, bodyTimeoutSeconds: UInt32) {
        func nanoseconds(_ seconds: UInt32) -> UInt64? { seconds == 0 ? nil : UInt64(seconds) * 1_000_000_000 }
        headTimeout = nanoseconds(headTimeoutSeconds)
        bodyTimeout = nanoseconds(bodyTimeoutSeconds)
        // A tenth of the shortest deadline: a connection is cut at most 10 % late, without waking up needlessly.
        let shortest: UInt32 = [headTimeoutSeconds, bodyTimeoutSeconds].filter { $0 > 0 }.min() ?? 10
        sweepInterval = Swift.min(1, Swift.max(0.02, TimeInterval(shortest) / 10))
    }

    /// Connections opened and not closed yet: a retired daemon is stopped once it has none.
    var openConnections: Int {
        lock.withLock { records.count }
    }

    // MARK: Connection events (MHD thread owning the connection)

    /// A new connection; the returned record goes into MHD's socket context.
    func opened(socket: Int32, remoteAddress: String?) -> Record {
        let record = Record(socket: socket, remoteAddress: remoteAddress)
        lock.withLock {
            record.deadline = Self.deadline(after: headTimeout)
            records[ObjectIdentifier(record)] = record
        }
        return record
    }

    /// MHD is about to close the connection's socket: the sweeper must not touch it any more.
    func closed(_ record: Record) {
        _ = lock.withLock { records.removeValue(forKey: ObjectIdentifier(record)) }
    }

    /// The request line is in; `target` is the request target exactly as sent (up to a NUL byte, if any).
    func requestLineArrived(_ record: Record, target: [UInt8]) {
        lock.withLock { record.rawTarget = target }
    }

    /// The head is complete: the body deadline starts. Returns the raw target kept since the request line.
    func headArrived(_ record: Record) -> [UInt8]? {
        lock.withLock {
            record.deadline = Self.deadline(after: bodyTimeout)
            defer { record.rawTarget = nil }
            return record.rawTarget
        }
    }

    /// The request is answered or being handled: no deadline until the response has been sent.
    func busy(_ record: Record) {
        lock.withLock {
            record.deadline = nil
        }
    }

    /// The response was sent (or the request abandoned): the next request's head is due.
    func requestFinished(_ record: Record) {
        lock.withLock {
            record.deadline = Self.deadline(after: headTimeout)
            record.rawTarget = nil
        }
    }

    /// The record MHD keeps for `connection`, or nil before the open notification / after the close one.
    static func record(of connection: OpaquePointer) -> Record? {
        gw_mhd_socket_context(connection).map { Unmanaged<Record>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: Sweeping

    /// Starts the sweeper thread; a second call does nothing.
    func startSweeping() {
        guard headTimeout != nil || bodyTimeout != nil else { return }
        let done = sweepCondition.withLock { () -> DispatchSemaphore? in
            guard !sweeping else { return nil }
            sweeping = true
            sweeperDone = DispatchSemaphore(value: 0)
            return sweeperDone
        }
        guard let done else { return }
        let thread = Thread { [self] in
            _ = gw_name_current_thread("http-deadlines")  // not `Thread.name`: see CThreadName
            while waitForNextSweep() { sweep() }
            done.signal()
        }
        thread.start()
    }

    /// Stops the sweeper and waits for its thread to finish.
    func stopSweeping() {
        let done = sweepCondition.withLock { () -> DispatchSemaphore? in
            guard sweeping else { return nil }
            sweeping = false
            sweepCondition.broadcast()
            defer { sweeperDone = nil }
            return sweeperDone
        }
        done?.wait()
    }

    /// Sleeps one interval; false once stopping.
    private func waitForNextSweep() -> Bool {
        sweepCondition.withLock {
            guard sweeping else { return false }
            _ = sweepCondition.wait(until: Date(timeIntervalSinceNow: sweepInterval))
            return sweeping
        }
    }

    /// Shuts down every connection past its deadline, once.
    private func sweep() {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            for record in records.values where !record.cut {
                guard let deadline = record.deadline, now >= deadline else { continue }
                record.cut = true
                gw_socket_shutdown(record.socket)
            }
        }
    }

    private static func deadline(after timeout: UInt64?) -> UInt64? {
        timeout.map { DispatchTime.now().uptimeNanoseconds + $0 }
    }
}
