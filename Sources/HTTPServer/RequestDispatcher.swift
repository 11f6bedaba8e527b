import CMicroHTTPD
import Foundation

/// The server's side of libmicrohttpd's access-handler protocol: builds per-request contexts,
/// collects bodies under the size limit, calls the `HTTPHandler`, and queues its response now or
/// after the connection was suspended and resumed.
///
/// libmicrohttpd calls `access` several times per request on the thread that owns the connection:
/// once when the headers are in (`*con_cls` still nil), once per body chunk
/// (`*upload_data_size > 0`), and once when the upload is complete (`*upload_data_size == 0`) —
/// and again in that last form after a suspended connection is resumed.
final class RequestDispatcher: @unchecked Sendable {
    let handler: any HTTPHandler
    let maxBodyBytes: Int
    let maxHeaderBytes: Int
    let registry: RequestRegistry
    /// Head and body deadlines of the daemon's connections.
    let connections: ConnectionTracker
    /// The `Strict-Transport-Security` value every response carries on an HTTPS daemon; nil on plain HTTP.
    let strictTransportSecurity: String?
    /// The event streams being sent, ended when the daemon stops or hands over.
    let liveStreams = LiveStreams()

    private let drainLock = NSLock()
    private var draining = false

    init(handler: any HTTPHandler, configuration: HTTPServerConfiguration, registry: RequestRegistry) {
        self.handler = handler
        self.maxBodyBytes = max(0, configuration.maxBodyBytes)
        self.maxHeaderBytes = max(0, configuration.maxHeaderBytes)
        self.registry = registry
        self.connections = ConnectionTracker(headTimeoutSeconds: configuration.headerTimeoutSeconds,
                                             bodyTimeoutSeconds: configuration.bodyTimeoutSeconds)
        self.strictTransportSecurity = configuration.tls?.strictTransportSecurity
    }

    /// From now on responses carry `Connection: close` so keep-alive clients move elsewhere.
    func beginDraining() {
        drainLock.withLock { draining = true }
    }

    private var isDraining: Bool {
        drainLock.withLock { draining }
    }

    /// Answers handlers that never responded (stop ran out of patience) so their suspended
    /// connections are resumed before the daemon stops.
    func abandon(_ contexts: [RequestContext]) {
        for context in contexts where context.respond(Self.shuttingDownResponse) {
            registry.finishHandling(context)
        }
    }

    // MARK: MHD entry points (called through MHDCallbacks)

    func access(connection: OpaquePointer,
                url: UnsafePointer<CChar>?,
                method: UnsafePointer<CChar>?,
                version: UnsafePointer<CChar>?,
                uploadData: UnsafePointer<CChar>?,
                uploadDataSize: UnsafeMutablePointer<Int>,
                contextSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let stored = contextSlot.pointee else {
            return startRequest(connection: connection, url: url, method: method, version: version,
                                contextSlot: contextSlot)
        }
        let context = Unmanaged<RequestContext>.fromOpaque(stored).takeUnretainedValue()

        if uploadDataSize.pointee > 0 {
            if let uploadData {
                context.appendBody(UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee),
                                   limit: maxBodyBytes)
            }
            // Always consume everything, also past the limit: the client gets its 413 once the
            // upload is complete instead of a reset connection.
            uploadDataSize.pointee = 0
            return gw_mhd_yes()
        }

        switch context.currentPhase {
        case .receiving:
            return dispatch(context)
        case .resuming:
            guard let response = context.takeResumedResponse() else { return gw_mhd_no() }
            return queue(response, for: context)
        case .handling, .handlingAnswered, .suspended, .answered, .completed:
            // Not reachable per MHD's contract. Returning YES without a response would make MHD
            // call again at once, so close the connection instead of spinning.
            return gw_mhd_no()
        }
    }

    /// MHD is done with a request (answered, failed, or refused by MHD itself before we saw it): the
    /// connection's next head is due, and the request's context is released.
    func completed(connection: OpaquePointer?, contextSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        if let record = connection.flatMap(ConnectionTracker.record(of:)) {
            connections.requestFinished(record)
        }
        guard let contextSlot, let stored = contextSlot.pointee else { return }
        contextSlot.pointee = nil
        let context = Unmanaged<RequestContext>.fromOpaque(stored).takeRetainedValue()
        context.markCompleted()
        registry.requestCompleted(context)
    }

    // MARK: Steps

    private func startRequest(connection: OpaquePointer,
                              url: UnsafePointer<CChar>?,
                              method: UnsafePointer<CChar>?,
                              version: UnsafePointer<CChar>?,
                              contextSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        let record = ConnectionTracker.record(of: connection)
        let rawTarget = record.flatMap(connections.headArrived)
        let headSize = gw_mhd_request_head_size(connection)
        let target = MHDRequestReader.target(raw: rawTarget, url: url, version: version, headSize: headSize)
        let head = MHDRequestReader.head(of: connection, target: target, method: method,
                                         remoteAddress: record.map(\.remoteAddress)
                                             ?? MHDRequestReader.remoteAddress(of: connection))
        let declaredLength = head.declaredContentLength
        let context = RequestContext(connection: connection, head: head, declaredLength: declaredLength,
                                     maxBodyBytes: maxBodyBytes)
        // Released in `completed`, which MHD calls for every request it presented to us,
        // including ones whose client went away early.
        contextSlot.pointee = Unmanaged.passRetained(context).toOpaque()
        registry.requestStarted()

        // Answers before reading the body (MHD allows queueing on the first call); MHD then
        // skips the upload and closes the connection after the response.
        if headSize > maxHeaderBytes {
            return answerRejected(context, because: .headTooLarge(limit: maxHeaderBytes), record: record)
        }
        if let defect = target.defect {
            let rejection = HTTPRequestRejection.invalidPath(path: target.path, reason: defect.description)
            return answerRejected(context, because: rejection, record: record)
        }
        if let declared = declaredLength, declared > UInt64(maxBodyBytes) {
            record.map(connections.busy)
            return answerBodyTooLarge(context)
        }
        return gw_mhd_yes()
    }

    private func dispatch(_ context: RequestContext) -> MHD_Result {
        // The body is in: no deadline while the handler works and the response goes out.
        ConnectionTracker.record(of: context.connection).map(connections.busy)
        if context.bodyExceededLimit {
            return answerBodyTooLarge(context)
        }
        let request = context.head.request(body: context.takeBody())

        // Phase first, registration second: a stop that finds the context registered can then
        // always answer it through `respond`.
        context.beginHandling()
        guard registry.beginHandling(context) else {
            context.markAnswered()
            return queue(Self.shuttingDownResponse, for: context)
        }

        let registry = self.registry
        handler.handle(request) { [context] response in
            if context.respond(response) {
                registry.finishHandling(context)
            }
        }

        if let response = context.finishHandlerCall() {
            return queue(response, for: context)
        }
        return gw_mhd_yes()  // suspended until `respond`
    }

    private func answerBodyTooLarge(_ context: RequestContext) -> MHD_Result {
        context.markAnswered()
        let response = handler.bodyTooLarge(context.head.request(body: []), limit: maxBodyBytes)
        return queue(response, for: context)
    }

    private func answerRejected(_ context: RequestContext, because rejection: HTTPRequestRejection,
                                record: ConnectionTracker.Record?) -> MHD_Result {
        record.map(connections.busy)
        context.markAnswered()
        let response = handler.rejected(context.head.request(body: []), because: rejection)
        return queue(response, for: context)
    }

    private func queue(_ response: HTTPResponse, for context: RequestContext) -> MHD_Result {
        MHDResponseWriter.queue(response, on: context.connection, closeConnection: isDraining,
                                strictTransportSecurity: strictTransportSecurity, liveStreams: liveStreams)
    }

    /// Given to requests that arrive after a stop has stopped calling the handler, and to
    /// handlers that did not answer within the drain timeout.
    static let shuttingDownResponse = HTTPResponse.text("server is shutting down\n", status: 503)
}
