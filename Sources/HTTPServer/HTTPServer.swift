import CThreadName
import Foundation

/// An HTTP/1.1 server on libmicrohttpd: MHD parses and owns the sockets, an `HTTPHandler` answers
/// complete requests, synchronously or later from any thread.
///
/// Lifecycle: `start()` once, optionally `reloadTLS(_:)` (HTTPS) and `quiesce()`, then `stop()`; a
/// stopped server cannot be restarted (make a new one). All methods are thread-safe.
public final class HTTPServer: @unchecked Sendable {
    private enum State {
        case idle
        case running(DaemonGeneration)
        case stopped
    }

    /// As started; a certificate reload changes only the running daemon's certificate.
    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler

    /// Serialises start/reload/quiesce/stop and retirements; `stop` holds it while draining, so a
    /// concurrent `stop` returns only after the first finished.
    private let lifecycleLock = NSLock()
    private var state: State = .idle
    /// Generations replaced by a certificate reload, finishing their connections (oldest first).
    private var retiring: [DaemonGeneration] = []
    /// Readable without waiting for a draining `stop`: the bound port, and every generation not yet
    /// stopped (for `inFlightRequests`).
    private let snapshotLock = NSLock()
    private var boundPort: UInt16 = 0
    private var liveGenerations: [DaemonGeneration] = []

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    deinit {
        stop(drainTimeout: 0)
    }

    /// Binds and starts serving. Throws `HTTPServerError.startFailed` (e.g. port in use), also when
    /// called twice or after `stop()`; with TLS, `.tlsUnsupported` or `.tlsRefused` (a certificate,
    /// key or priority string GnuTLS does not accept) before anything is bound.
    public func start() throws {
        try lifecycleLock.withLock {
            switch state {
            case .running: throw HTTPServerError.startFailed("server is already running")
            case .stopped: throw HTTPServerError.startFailed("server was stopped; create a new one")
            case .idle: break
            }
            let generation = try DaemonGeneration(configuration: configuration, handler: handler)
            state = .running(generation)
            snapshotLock.withLock {
                boundPort = generation.daemon.port
                liveGenerations = [generation]
            }
        }
    }

    /// The bound port (the real one when configured with 0); 0 before `start()`.
    public var port: UInt16 {
        snapshotLock.withLock { boundPort }
    }

    /// Requests whose handler has been called and has not responded yet.
    public var inFlightRequests: Int {
        snapshotLock.withLock { liveGenerations }.reduce(0) { $0 + $1.inFlightRequests }
    }

    /// Daemons replaced by a certificate reload that still finish their connections.
    package var retiringDaemons: Int {
        snapshotLock.withLock { max(0, liveGenerations.count - 1) }
    }

    /// Serves `credentials` from now on, without closing the port: a new daemon with them takes over the
    /// listening socket, so every connection accepted after this returns gets the new certificate. Connections
    /// already open stay with the old daemon and its certificate; their requests are answered as usual (with
    /// `Connection: close`), and the old daemon is stopped once they are all closed — at the latest after the
    /// longest a well-behaved connection can last (head and body deadlines, inactivity timeout).
    ///
    /// Throws `.tlsRefused` when GnuTLS refuses the new certificate or key, `.reloadFailed` when the server is not
    /// running (or draining), was started without TLS, or the new daemon could not start; then nothing changed and
    /// the old certificate is still served.
    public func reloadTLS(_ credentials: TLSCredentials) throws(HTTPServerError) {
        lifecycleLock.lock()
        defer { lifecycleLock.unlock() }
        guard case .running(let current) = state, current.daemon.isAccepting else {
            throw .reloadFailed("the server is not running")
        }
        guard var tls = configuration.tls else { throw .reloadFailed("the server was started without TLS") }
        tls.credentials = credentials
        var next = configuration
        next.tls = tls
        let successor = try DaemonGeneration(configuration: next, handler: handler, succeeding: current)
        current.retire()
        retiring.append(current)
        state = .running(successor)
        snapshotLock.withLock { liveGenerations.append(successor) }
        awaitRetirement(of: current)
    }

    /// Stops accepting new connections (they are refused); open connections keep being served,
    /// with `Connection: close` on every response from now on.
    public func quiesce() {
        lifecycleLock.withLock {
            guard case .running(let generation) = state else { return }
            generation.quiesce()
        }
    }

    /// Graceful stop: quiesce, wait until every in-flight request has been answered and its
    /// response written (or `drainTimeout` passed), then stop libmicrohttpd. Handlers still
    /// silent at the deadline are answered 503 for them; their later `respond` calls are ignored.
    /// Daemons retired by a reload and still finishing their connections are stopped the same way.
    /// Idempotent; returns when the server is fully stopped. Do not call it synchronously from
    /// `HTTPHandler.handle`: stopping joins the libmicrohttpd thread that is running the handler.
    public func stop(drainTimeout: TimeInterval = 10) {
        lifecycleLock.withLock {
            guard case .running(let current) = state else {
                state = .stopped
                return
            }
            current.quiesce()
            let deadline = Date(timeIntervalSinceNow: max(0, drainTimeout))
            for generation in [current] + retiring {
                generation.stop(waitingUntil: deadline)
            }
            retiring = []
            snapshotLock.withLock { liveGenerations = [] }
            state = .stopped
        }
    }

    // MARK: Retiring a reloaded daemon

    /// The longest a well-behaved connection of a retired daemon can still need: its request's head and body
    /// deadlines, or an idle connection's inactivity timeout. Then the daemon is stopped anyway.
    private var retirementPatience: TimeInterval {
        let deadlines = configuration.headerTimeoutSeconds + configuration.bodyTimeoutSeconds
        return TimeInterval(max(configuration.connectionTimeoutSeconds, deadlines)) + 1
    }

    /// Watches `generation` on a thread of its own until its last connection is closed (or the patience runs out),
    /// then stops it. The first look comes after a short grace: an MHD thread that was woken for a connection just
    /// before the hand-over may still accept it, and that connection must be counted before "none left" is believed.
    private func awaitRetirement(of generation: DaemonGeneration) {
        let deadline = Date(timeIntervalSinceNow: retirementPatience)
        let thread = Thread { [weak self] in
            _ = gw_name_current_thread("http-retire")  // not `Thread.name`: see CThreadName
            repeat {
                Thread.sleep(forTimeInterval: 0.1)
            } while !generation.hasNoConnections && Date() < deadline
            self?.finishRetirement(of: generation)
        }
        thread.start()
    }

    /// Stops a retired generation, unless `stop()` already did.
    private func finishRetirement(of generation: DaemonGeneration) {
        lifecycleLock.withLock {
            guard let index = retiring.firstIndex(where: { $0 === generation }) else { return }
            retiring.remove(at: index)
            generation.stop(waitingUntil: Date())
            snapshotLock.withLock { liveGenerations.removeAll { $0 === generation } }
        }
    }
}
