import Foundation

/// One libmicrohttpd daemon with the dispatcher (and its request registry) behind it.
///
/// A server runs one generation at a time. A certificate reload starts the next generation on the same listening
/// socket and retires the current one: it accepts nothing more, answers what arrives on the connections it already
/// has (with `Connection: close`, on the certificate they were opened with) and is stopped once they are all closed.
/// Not thread-safe by itself; `HTTPServer` serialises calls.
final class DaemonGeneration: @unchecked Sendable {
    let daemon: MHDDaemon
    let dispatcher: RequestDispatcher

    /// How long a stop that gave up on slow handlers waits for their 503s to be written.
    private static let abandonGracePeriod: TimeInterval = 1

    /// Starts the daemon: binding the configured address, or taking over `predecessor`'s listening socket.
    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler,
         succeeding predecessor: DaemonGeneration? = nil) throws(HTTPServerError) {
        dispatcher = RequestDispatcher(handler: handler, configuration: configuration, registry: RequestRegistry())
        daemon = try MHDDaemon(configuration: configuration, dispatcher: dispatcher,
                               succeeding: predecessor?.daemon)
    }

    /// Requests whose handler has been called and has not responded yet.
    var inFlightRequests: Int { dispatcher.registry.inFlightCount }

    /// Whether every connection this daemon accepted has been closed.
    var hasNoConnections: Bool { dispatcher.connections.openConnections == 0 }

    /// From now on responses carry `Connection: close`, and new connections are refused.
    func quiesce() {
        dispatcher.beginDraining()
        dispatcher.liveStreams.endAll()
        daemon.stopAccepting()
    }

    /// From now on responses carry `Connection: close`, and new connections go to the successor, which serves the
    /// same listening socket.
    func retire() {
        dispatcher.beginDraining()
        dispatcher.liveStreams.endAll()
        daemon.handOverListenSocket()
    }

    /// Waits until every request the daemon has started is answered and written (or `deadline` passed), then stops
    /// libmicrohttpd. Handlers still silent by then are answered 503 for them (their later `respond` calls are
    /// ignored), so that no connection is left suspended when MHD stops, which MHD punishes with a panic.
    func stop(waitingUntil deadline: Date) {
        let registry = dispatcher.registry
        dispatcher.liveStreams.endAll()
        _ = registry.waitUntilIdle(before: deadline)
        // Even when idle, a keep-alive connection may have slipped in a new request since: from here on no handler
        // is called, and whoever is still waiting gets a 503.
        let abandoned = registry.refuseNewWork()
        if !abandoned.isEmpty {
            dispatcher.abandon(abandoned)
            _ = registry.waitUntilIdle(before: Date(timeIntervalSinceNow: Self.abandonGracePeriod))
        }
        daemon.stop()
    }
}
