import CMicroHTTPD

/// The C entry points handed to libmicrohttpd.
///
/// They are plain closures without captures, created in nonisolated code: MHD calls them on its
/// own threads, where any actor isolation (e.g. closures written in top-level code, which Swift 6
/// treats as MainActor) would trap. All state arrives through the `cls` pointer, which carries an
/// unretained `RequestDispatcher` that `MHDDaemon` keeps alive until the daemon has stopped.
enum MHDCallbacks {
    static let accessHandler: MHD_AccessHandlerCallback = {
        cls, connection, url, method, version, uploadData, uploadDataSize, contextSlot in
        guard let cls, let connection, let uploadDataSize, let contextSlot else { return gw_mhd_no() }
        let dispatcher = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue()
        return dispatcher.access(connection: connection, url: url, method: method, version: version,
                                 uploadData: uploadData, uploadDataSize: uploadDataSize,
                                 contextSlot: contextSlot)
    }

    static let requestCompleted: MHD_RequestCompletedCallback = { cls, connection, contextSlot, _ in
        guard let cls else { return }
        let dispatcher = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue()
        dispatcher.completed(connection: connection, contextSlot: contextSlot)
    }

    /// Connection opened / closed: keeps the connection's deadline record in MHD's socket context, retained from
    /// the open notification to the close one.
    static let connectionNotified: MHD_NotifyConnectionCallback = { cls, connection, socketContext, code in
        guard let cls, let socketContext else { return }
        let tracker = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().connections
        if gw_mhd_notify_is_started(code) != 0 {
            let socket = connection.map { gw_mhd_connection_fd($0) } ?? -1
            let address = connection.flatMap(MHDRequestReader.remoteAddress)
            let record = tracker.opened(socket: socket, remoteAddress: address)
            socketContext.pointee = Unmanaged.passRetained(record).toOpaque()
        } else if let stored = socketContext.pointee {
            socketContext.pointee = nil
            tracker.closed(Unmanaged<ConnectionTracker.Record>.fromOpaque(stored).takeRetainedValue())
        }
    }

    /// The request line is in: keeps the target exactly as sent, before MHD splits off the query and decodes it
    /// in place. Returns nil so the access handler still sees an empty context on its first call.
    static let requestLineArrived: gw_mhd_uri_log_callback = { cls, uri, connection in
        guard let cls, let uri, let connection,
              let record = ConnectionTracker.record(of: connection) else { return nil }
        let tracker = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().connections
        let target = UnsafeRawBufferPointer(start: uri, count: strlen(uri))
        tracker.requestLineArrived(record, target: Array(target))
        return nil
    }
}
