import CMicroHTTPD
import Synchronization

/// Per-request state that libmicrohttpd carries for us in `*con_cls` between access-handler calls.
///
/// The body is only touched by the MHD thread that owns the connection, so it needs no lock. The
/// response hand-off does: `respond` may run on any thread while the handler is still on the MHD
/// thread's stack, just before the connection is suspended, or long after. The lock makes
/// "store the response" and "suspend / resume the connection" one step, so a connection is never
/// resumed before it was suspended (undefined behaviour in MHD) nor left suspended with a response
/// waiting. The lock is a `Mutex` stored in the context itself: a lock object of its own would be one more allocation
/// (and mutex set-up and tear-down) for every request.
final class RequestContext: @unchecked Sendable {
    /// Where the request is in its life. Transitions only move forward.
    enum Phase {
        /// Headers in, body arriving.
        case receiving
        /// `HTTPHandler.handle` is running on the MHD thread; no response yet.
        case handling
        /// The handler responded before `handle` returned; queued once it does.
        case handlingAnswered
        /// The connection is suspended waiting for an asynchronous `respond`.
        case suspended
        /// `respond` arrived for a suspended connection; resume requested, MHD will call us back.
        case resuming
        /// A response was queued (or the request was answered by this layer itself).
        case answered
        /// libmicrohttpd reported the request finished; the connection pointer is dead.
        case completed
    }

    /// Valid until the request-completed callback; only used by MHD threads and by `respond`
    /// while the phase proves the connection is suspended (and therefore alive).
    let connection: OpaquePointer
    let head: RequestHead

    /// The phase and the response waiting to be queued, changed together.
    private struct HandOff {
        var phase: Phase = .receiving
        var pendingResponse: HTTPResponse?
    }

    private let handOff = Mutex(HandOff())

    private var body: [UInt8] = []
    /// Set once the body grew past the limit; the rest is read and thrown away.
    private(set) var bodyExceededLimit = false

    /// Up-front reservation ceiling; bodies larger than this grow as they arrive.
    static let maxReservedBodyBytes = 256 * 1024

    /// `declaredLength` is the head's `declaredContentLength`, read once by the caller.
    init(connection: OpaquePointer, head: RequestHead, declaredLength: UInt64?, maxBodyBytes: Int) {
        self.connection = connection
        self.head = head
        // Reserve what the client announced, but never let a lying Content-Length make every
        // connection allocate the whole limit up front.
        if let declared = declaredLength, declared > 0 {
            let cap = UInt64(max(0, min(maxBodyBytes, Self.maxReservedBodyBytes)))
            body.reserveCapacity(Int(min(declared, cap)))
        }
    }

    // MARK: Body (MHD thread only)

    func appendBody(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        guard !bodyExceededLimit else { return }
        if body.count + chunk.count > limit {
            bodyExceededLimit = true
            body = []
            return
        }
        body.append(contentsOf: chunk)
    }

    /// Hands the body over without copying; the context keeps nothing.
    func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    var currentPhase: Phase {
        handOff.withLock { $0.phase }
    }

    // MARK: Response hand-off

    /// Called on the MHD thread right before `HTTPHandler.handle`.
    func beginHandling() {
        handOff.withLock { $0.phase = .handling }
    }

    /// Records a response that this layer produced itself (413, 503): no handler is involved.
    func markAnswered() {
        handOff.withLock { $0.phase = .answered }
    }

    /// Delivers the handler's response from any thread. Returns false (and does nothing) for a
    /// second call or a call after the request ended.
    func respond(_ response: HTTPResponse) -> Bool {
        enum Step { case stored, resume, refused }
        let step = handOff.withLock { state -> Step in
            switch state.phase {
            case .handling:
                state.pendingResponse = response
                state.phase = .handlingAnswered
                return .stored
            case .suspended:
                state.pendingResponse = response
                state.phase = .resuming
                return .resume
            case .receiving, .handlingAnswered, .resuming, .answered, .completed:
                return .refused
            }
        }
        if step == .resume {
            // Safe outside the lock: only this transition resumes, and a suspended connection
            // cannot be freed by MHD until it is resumed.
            MHD_resume_connection(connection)
        }
        return step != .refused
    }

    /// Called on the MHD thread when `handle` returned. Returns the response to queue now, or nil
    /// after suspending the connection until `respond` arrives.
    func finishHandlerCall() -> HTTPResponse? {
        handOff.withLock { state in
            switch state.phase {
            case .handlingAnswered:
                state.phase = .answered
                defer { state.pendingResponse = nil }
                return state.pendingResponse
            case .handling:
                // Under the lock, so `respond` sees `.suspended` only once MHD really suspended.
                state.phase = .suspended
                MHD_suspend_connection(connection)
                return nil
            case .receiving, .suspended, .resuming, .answered, .completed:
                return nil
            }
        }
    }

    /// Called on the MHD thread when a resumed connection re-enters the access handler.
    func takeResumedResponse() -> HTTPResponse? {
        handOff.withLock { state in
            guard state.phase == .resuming else { return nil }
            state.phase = .answered
            defer { state.pendingResponse = nil }
            return state.pendingResponse
        }
    }

    /// Called from the request-completed callback; later `respond` calls become no-ops.
    func markCompleted() {
        handOff.withLock { state in
            state.phase = .completed
            state.pendingResponse = nil
        }
    }
}
