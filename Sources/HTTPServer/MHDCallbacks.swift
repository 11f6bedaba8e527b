import CMicroHTTPD

/// The C entry points handed to libmicrohttpd.
///
/// They are plain closures without captures, created in nonisolated code: MHD calls them on its
/// own threads, where any actor isolation (e.g. closures written in top-level code, which Swift 6
/// treats as MainActor) would trap. All state arrives through the `cls` pointer, which carries an
/// unretained `RequestDispatcher` that `MHDDaemon` keeps alive until the daemon has stopped.
enum MHDCallbacks {
    static let accessHandler: MHD_AccessHandlerCallback = {
        cls, connection, url, method, _, uploadData, uploadDataSize, contextSlot in
        guard let cls, let connection, let uploadDataSize, let contextSlot else { return gw_mhd_no() }
        let dispatcher = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue()
        return dispatcher.access(connection: connection, url: url, method: method,
                                 uploadData: uploadData, uploadDataSize: uploadDataSize,
                                 contextSlot: contextSlot)
    }

    static let requestCompleted: MHD_RequestCompletedCallback = { cls, _, contextSlot, _ in
        guard let cls else { return }
        let dispatcher = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue()
        dispatcher.completed(contextSlot: contextSlot)
    }
}
