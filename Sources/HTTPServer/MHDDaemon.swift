import CMicroHTTPD

/// One running libmicrohttpd daemon: starting it, its bound port, quiescing and stopping it.
///
/// Owns the two things MHD borrows for its whole life: the dispatcher behind the callbacks' `cls`
/// (retained here, released after `MHD_stop_daemon`) and the log sink; and runs the dispatcher's
/// deadline sweeper while the daemon runs. Not thread-safe by itself; `HTTPServer` serialises calls.
final class MHDDaemon: @unchecked Sendable {
    private let daemon: OpaquePointer
    private let logSink: UnsafeMutablePointer<gw_mhd_log_sink>
    private let dispatcher: Unmanaged<RequestDispatcher>
    /// After `MHD_quiesce_daemon` the listen socket belongs to us and must be closed after
    /// `MHD_stop_daemon` (MHD no longer closes it).
    private var quiescedListenSocket: Int32 = -1
    private var stopped = false

    /// The port actually bound (resolves port 0).
    let port: UInt16

    init(configuration: HTTPServerConfiguration, dispatcher: RequestDispatcher) throws {
        let logSink = UnsafeMutablePointer<gw_mhd_log_sink>.allocate(capacity: 1)
        gw_mhd_log_sink_init(logSink)
        let retained = Unmanaged.passRetained(dispatcher)

        var startError: Int32 = 0
        let started: OpaquePointer? = configuration.host.withCString { host in
            var config = gw_mhd_daemon_config(
                host: host,
                port: configuration.port,
                thread_pool_size: UInt32(clamping: configuration.threadPoolSize),
                connection_timeout: configuration.connectionTimeoutSeconds,
                connection_limit: configuration.connectionLimit,
                per_ip_connection_limit: configuration.perIPConnectionLimit,
                connection_memory_limit: max(configuration.connectionMemoryLimitBytes, 4096))
            let cls = retained.toOpaque()
            return gw_mhd_start_daemon(&config, MHDCallbacks.accessHandler, cls,
                                       MHDCallbacks.requestCompleted, MHDCallbacks.connectionNotified,
                                       MHDCallbacks.requestLineArrived, cls, logSink, &startError)
        }

        guard let started else {
            let reason = startError == Int32(GW_MHD_START_BAD_HOST)
                ? "host \"\(configuration.host)\" is not a numeric IPv4 or IPv6 address"
                : Self.lastMessage(logSink) ?? "MHD_start_daemon returned NULL"
            retained.release()
            gw_mhd_log_sink_destroy(logSink)
            logSink.deallocate()
            throw HTTPServerError.startFailed("\(configuration.host):\(configuration.port): \(reason)")
        }
        self.daemon = started
        self.logSink = logSink
        self.dispatcher = retained
        self.port = gw_mhd_bound_port(started)
        dispatcher.connections.startSweeping()
    }

    deinit {
        stop()
    }

    /// Stops accepting connections; existing ones carry on. New connection attempts are refused
    /// rather than left hanging in the kernel's backlog.
    func stopAccepting() {
        guard !stopped, quiescedListenSocket < 0 else { return }
        let socket = MHD_quiesce_daemon(daemon)
        if socket >= 0 {
            quiescedListenSocket = socket
            gw_listen_socket_stop_accepting(socket)
        }
    }

    /// `MHD_stop_daemon`: closes every connection and joins MHD's threads. No connection may be
    /// suspended at this point (MHD panics); `HTTPServer` makes sure of that first.
    func stop() {
        guard !stopped else { return }
        stopped = true
        dispatcher.takeUnretainedValue().connections.stopSweeping()
        MHD_stop_daemon(daemon)
        gw_listen_socket_close(quiescedListenSocket)
        quiescedListenSocket = -1
        dispatcher.release()
        gw_mhd_log_sink_destroy(logSink)
        logSink.deallocate()
    }

    private static func lastMessage(_ sink: UnsafeMutablePointer<gw_mhd_log_sink>) -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        let length = buffer.withUnsafeMutableBufferPointer {
            gw_mhd_log_sink_read(sink, $0.baseAddress, $0.count)
        }
        guard length > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
