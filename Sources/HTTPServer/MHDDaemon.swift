import CMicroHTTPD

/// One running libmicrohttpd daemon: starting it, its bound port, quiescing and stopping it.
///
/// Owns the things MHD borrows for its whole life: the dispatcher behind the callbacks' `cls`
/// (retained here, released after `MHD_stop_daemon`), the log sink and, for HTTPS, the certificate
/// and key; and runs the dispatcher's deadline sweeper while the daemon runs. Not thread-safe by
/// itself; `HTTPServer` serialises calls.
final class MHDDaemon: @unchecked Sendable {
    private let daemon: OpaquePointer
    private let logSink: UnsafeMutablePointer<gw_mhd_log_sink>
    private let dispatcher: Unmanaged<RequestDispatcher>
    /// Dropped (and the key wiped) once the daemon has stopped.
    private var tlsMaterial: MHDTLSMaterial?
    /// After `MHD_quiesce_daemon` the listen socket belongs to us and must be closed after
    /// `MHD_stop_daemon` (MHD no longer closes it).
    private var quiescedListenSocket: Int32 = -1
    private var stopped = false

    /// The port actually bound (resolves port 0).
    let port: UInt16

    /// Binds `configuration.host:port` and starts serving, or, with a `predecessor`, serves a duplicate of the
    /// predecessor's listening socket instead (which the predecessor then hands over, see
    /// `handOverListenSocket()`): a certificate reload without a moment in which the port is closed. With TLS
    /// the certificate and key are checked with GnuTLS before anything starts (`.tlsRefused`), so a refused
    /// certificate is never mistaken for a port in use.
    init(configuration: HTTPServerConfiguration, dispatcher: RequestDispatcher,
         succeeding predecessor: MHDDaemon? = nil) throws(HTTPServerError) {
        let tlsMaterial = try configuration.tls.map { tls throws(HTTPServerError) in try MHDTLSMaterial(tls) }
        var inheritedSocket: Int32 = -1
        if let predecessor {
            inheritedSocket = predecessor.isAccepting ? gw_mhd_duplicate_listen_socket(predecessor.daemon) : -1
            guard inheritedSocket >= 0 else {
                throw .reloadFailed("the running daemon has no listening socket to hand over")
            }
        }
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
                connection_memory_limit: max(configuration.connectionMemoryLimitBytes, 4096),
                listen_fd: inheritedSocket,
                tls_cert_pem: tlsMaterial?.certificateChain,
                tls_key_pem: tlsMaterial?.privateKey,
                tls_priorities: tlsMaterial?.priorities)
            let cls = retained.toOpaque()
            return gw_mhd_start_daemon(&config, MHDCallbacks.accessHandler, cls,
                                       MHDCallbacks.requestCompleted, MHDCallbacks.connectionNotified,
                                       MHDCallbacks.requestLineArrived, cls, logSink, &startError)
        }

        guard let started else {
            let reason = startError == Int32(GW_MHD_START_BAD_HOST)
                ? "host \"\(configuration.host)\" is not a numeric IPv4 or IPv6 address"
                : Self.message(from: logSink, first: false) ?? "MHD_start_daemon returned NULL"
            retained.release()
            gw_mhd_log_sink_destroy(logSink)
            logSink.deallocate()
            if let predecessor {
                gw_listen_socket_close_duplicate(inheritedSocket, gw_mhd_listen_socket(predecessor.daemon))
                throw .reloadFailed("the new daemon did not start: \(reason)")
            }
            throw .startFailed("\(configuration.host):\(configuration.port): \(reason)")
        }
        self.daemon = started
        self.logSink = logSink
        self.dispatcher = retained
        self.tlsMaterial = tlsMaterial
        self.port = predecessor?.port ?? gw_mhd_bound_port(started)
        dispatcher.connections.startSweeping()
    }

    deinit {
        stop()
    }

    /// Whether the daemon still accepts connections (neither quiesced, handed over nor stopped).
    var isAccepting: Bool {
        !stopped && quiescedListenSocket < 0
    }

    /// Stops accepting connections; existing ones carry on. New connection attempts are refused
    /// rather than left hanging in the kernel's backlog.
    func stopAccepting() {
        guard isAccepting else { return }
        let socket = MHD_quiesce_daemon(daemon)
        if socket >= 0 {
            quiescedListenSocket = socket
            gw_listen_socket_stop_accepting(socket)
        }
    }

    /// Stops accepting connections but leaves the listening socket open, for the successor that serves a
    /// duplicate of it: connections waiting in the backlog and new ones go to the successor, existing ones carry
    /// on here. This daemon's descriptor is closed after it stops (the successor's keeps the socket open).
    func handOverListenSocket() {
        guard isAccepting else { return }
        let socket = MHD_quiesce_daemon(daemon)
        if socket >= 0 {
            quiescedListenSocket = socket
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
        tlsMaterial = nil
    }

    /// The latest (or the first) message MHD logged into `sink`, if any.
    static func message(from sink: UnsafeMutablePointer<gw_mhd_log_sink>, first: Bool) -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        let length = buffer.withUnsafeMutableBufferPointer {
            gw_mhd_log_sink_read(sink, first ? 1 : 0, $0.baseAddress, $0.count)
        }
        guard length > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
