import Foundation

/// An HTTP/1.1 server on libmicrohttpd: MHD parses and owns the sockets, an `HTTPHandler` answers
/// complete requests, synchronously or later from any thread.
///
/// Lifecycle: `start()` once, optionally `quiesce()`, then `stop()`; a stopped server cannot be
/// restarted (make a new one). All methods are thread-safe.
public final class HTTPServer: @unchecked Sendable {
    private enum State {
        case idle
        case running(MHDDaemon, RequestDispatcher)
        case stopped
    }

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let registry = RequestRegistry()

    /// Serialises start/quiesce/stop; `stop` holds it while draining, so a concurrent `stop`
    /// returns only after the first finished.
    private let lifecycleLock = NSLock()
    private var state: State = .idle
    /// Readable without waiting for a draining `stop`.
    private let portLock = NSLock()
    private var boundPort: UInt16 = 0

    /// How long a stop that gave up on slow handlers waits for their 503s to be written.
    private static let abandonGracePeriod: TimeInterval = 1

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    deinit {
        stop(drainTimeout: 0)
    }

    /// Binds and starts serving. Throws `HTTPServerError.startFailed` (e.g. port in use), also when
    /// called twice or after `stop()`.
    public func start() throws {
        try lifecycleLock.withLock {
            switch state {
            case .running: throw HTTPServerError.startFailed("server is already running")
            case .stopped: throw HTTPServerError.startFailed("server was stopped; create a new one")
            case .idle: break
            }
            let dispatcher = RequestDispatcher(handler: handler, configuration: configuration, registry: registry)
            let daemon = try MHDDaemon(configuration: configuration, dispatcher: dispatcher)
            portLock.withLock { boundPort = daemon.port }
            state = .running(daemon, dispatcher)
        }
    }

    /// The bound port (the real one when configured with 0); 0 before `start()`.
    public var port: UInt16 {
        portLock.withLock { boundPort }
    }

    /// Requests whose handler has been called and has not responded yet.
    public var inFlightRequests: Int {
        registry.inFlightCount
    }

    /// Stops accepting new connections (they are refused); open connections keep being served,
    /// with `Connection: close` on every response from now on.
    public func quiesce() {
        lifecycleLock.withLock {
            guard case .running(let daemon, let dispatcher) = state else { return }
            dispatcher.beginDraining()
            daemon.stopAccepting()
        }
    }

    /// Graceful stop: quiesce, wait until every in-flight request has been answered and its
    /// response written (or `drainTimeout` passed), then stop libmicrohttpd. Handlers still
    /// silent at the deadline are answered 503 for them; their later `respond` calls are ignored.
    /// Idempotent; returns when the server is fully stopped. Do not call it synchronously from
    /// `HTTPHandler.handle`: stopping joins the libmicrohttpd thread that is running the handler.
    public func stop(drainTimeout: TimeInterval = 10) {
        lifecycleLock.withLock {
            guard case .running(let daemon, let dispatcher) = state else {
                state = .stopped
                return
            }
            dispatcher.beginDraining()
            daemon.stopAccepting()
            _ = registry.waitUntilIdle(before: Date(timeIntervalSinceNow: max(0, drainTimeout)))

            // Even when idle, a keep-alive connection may have slipped in a new request since:
            // from here on no handler is called, and whoever is still waiting gets a 503, so no
            // connection is left suspended when MHD stops (which MHD punishes with a panic).
            let abandoned = registry.refuseNewWork()
            if !abandoned.isEmpty {
                dispatcher.abandon(abandoned)
                _ = registry.waitUntilIdle(before: Date(timeIntervalSinceNow: Self.abandonGracePeriod))
            }
            daemon.stop()
            state = .stopped
        }
    }
}
