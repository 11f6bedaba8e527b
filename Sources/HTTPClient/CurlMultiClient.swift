import Foundation
import Synchronization

/// HTTP/1.1 client built on libcurl's multi interface.
///
/// One background thread drives a curl multi handle (`curl_multi_poll` + `curl_multi_wakeup`):
/// many concurrent transfers on one thread, connection reuse through the multi handle's
/// connection cache (keep-alive), no thread or dispatch queue per request. Redirects are not
/// followed, only `http`/`https` URLs are accepted, and no proxy is used unless one is given
/// (environment variables such as `http_proxy` are ignored).
///
/// Completions run on the client's thread, in completion order: they must return quickly and
/// must not block on another request of the same client (`perform(_:)` refuses to).
public final class CurlMultiClient: Sendable {
    private let loop: MultiLoop

    /// - Parameters:
    ///   - maxTotalConnections: open connections across all hosts; 0 means unlimited. Requests
    ///     beyond the limit wait inside libcurl for a free connection.
    ///   - maxConnectionsPerHost: open connections per host and port; 0 means unlimited.
    ///   - maxResponseBytes: body bytes kept per response; more sets `truncated` and stops reading.
    ///   - proxy: proxy URL for every request, e.g. `http://proxy:3128`; nil means direct.
    ///   - idleHandleLimit: idle easy handles kept for reuse.
    public init(
        maxTotalConnections: Int = 0,
        maxConnectionsPerHost: Int = 0,
        maxResponseBytes: Int = 64 * 1024,
        proxy: String? = nil,
        idleHandleLimit: Int = 256
    ) {
        loop = MultiLoop(
            maxTotalConnections: maxTotalConnections,
            maxConnectionsPerHost: maxConnectionsPerHost,
            maxResponseBytes: maxResponseBytes,
            proxy: proxy,
            idleHandleLimit: idleHandleLimit)
    }

    deinit {
        loop.shutdown()
    }

    /// Starts `request`; `completion` runs exactly once on the client's thread (or, after
    /// shutdown, immediately on the caller's thread with `.shutDown`).
    public func execute(_ request: ClientRequest, completion: @escaping @Sendable (Result<ClientResponse, ClientError>) -> Void) {
        loop.submit(Submission(request: request, completion: completion))
    }

    /// Runs `request` and returns its result. Task cancellation does not cancel the transfer;
    /// `request.totalTimeout` bounds it.
    public func execute(_ request: ClientRequest) async -> Result<ClientResponse, ClientError> {
        await withCheckedContinuation { continuation in
            execute(request) { continuation.resume(returning: $0) }
        }
    }

    /// Runs `request`, blocking the calling thread until it completes. Called from one of this
    /// client's completions it would wait forever, so there it fails with `.invalidRequest`.
    public func perform(_ request: ClientRequest) -> Result<ClientResponse, ClientError> {
        guard !loop.isLoopThread else {
            return .failure(.invalidRequest("perform(_:) called on the client's own thread would deadlock"))
        }
        let slot = ResultSlot()
        execute(request) { slot.fill($0) }
        return slot.wait()
    }

    /// Requests accepted and not yet completed: queued for, or running on, the client's thread.
    public var activeTransfers: Int {
        loop.inFlight.load(ordering: .relaxed)
    }

    /// Fails queued and running transfers with `.shutDown`, frees all libcurl handles and joins
    /// the client's thread. Idempotent; later requests fail with `.shutDown` at once.
    public func shutdown() {
        loop.shutdown()
    }
}

/// Hands one result from the client's thread to a thread blocked in `perform(_:)`.
/// `@unchecked`: `value` is only accessed under `lock`.
private final class ResultSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<ClientResponse, ClientError>?
    private let ready = DispatchSemaphore(value: 0)

    func fill(_ result: Result<ClientResponse, ClientError>) {
        lock.withLock { value = result }
        ready.signal()
    }

    func wait() -> Result<ClientResponse, ClientError> {
        ready.wait()
        return lock.withLock { value! }
    }
}
