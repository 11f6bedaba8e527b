import CCurl
import CThreadName
import Foundation
import Glibc
import Synchronization

/// Drives one libcurl multi handle on one dedicated thread: every transfer of a client runs
/// here, sharing the multi handle's connection cache (keep-alive) and DNS cache.
///
/// Threading: other threads only append to `inbox` (under `inboxLock`) and call
/// `curl_multi_wakeup`, the one multi function libcurl allows from another thread. Everything
/// else — the multi handle, easy handles, `active`, `pool` — is touched only by the loop
/// thread, which is why the class is `@unchecked Sendable`. `curl_multi_wakeup` is only ever
/// called under the lock while `stopping` is false, and the loop cleans the multi handle up
/// only after it has seen `stopping` under the same lock, so no wakeup can hit a freed handle.
///
/// The locks are `NSLock` (pthread mutexes) rather than `Synchronization.Mutex`: ThreadSanitizer
/// does not see Mutex's futex-based locking on Linux and reports every guarded access as a race.
final class MultiLoop: @unchecked Sendable {
    /// Requests accepted and not yet completed (queued in `inbox` or running in libcurl).
    let inFlight = Atomic<Int>(0)

    private let multi: UnsafeMutableRawPointer?
    private let maxResponseBytes: Int
    private let proxy: String?
    private let inboxLock = NSLock()
    private var inbox = Inbox()
    /// `pthread_self()` of the loop thread, published by the loop itself once it runs.
    private let loopThreadID = Atomic<UInt>(0)
    /// Held through the join so that concurrent `shutdown()` calls return after the thread is gone.
    private let joinLock = NSLock()
    /// The thread to join; nil once joined or detached (or if it never started). Under `joinLock`.
    private var joinable: pthread_t?

    // Loop-thread confined.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var pool: EasyHandlePool
    private var nextDeadlineSweep: UInt64 = 0

    /// How often active transfers are checked against their deadlines (see `failOverdue`).
    private static let deadlineSweepNanoseconds: UInt64 = 50_000_000
    /// Slack past a deadline before the sweep steps in, so that libcurl's own timeout (with its
    /// more precise message) wins for transfers it is actually running.
    private static let deadlineGraceNanoseconds: UInt64 = 100_000_000

    /// Starts the loop thread. If libcurl or the thread cannot be set up the loop starts out
    /// stopped and every request fails with `.shutDown`.
    init(maxTotalConnections: Int, maxConnectionsPerHost: Int, maxResponseBytes: Int, proxy: String?, idleHandleLimit: Int) {
        self.maxResponseBytes = max(0, maxResponseBytes)
        self.proxy = proxy
        pool = EasyHandlePool(limit: idleHandleLimit)
        multi = CurlGlobal.initError == nil ? curl_multi_init() : nil
        guard let multi else {
            inbox.stopping = true
            return
        }
        gw_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(0, maxTotalConnections))
        gw_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, maxConnectionsPerHost))
        startThread(multi)
    }

    private func startThread(_ multi: UnsafeMutableRawPointer) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            let loop = Unmanaged<MultiLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        if rc == 0 {
            joinLock.withLock { joinable = thread }
        } else {
            Unmanaged<MultiLoop>.fromOpaque(context).release()
            inboxLock.withLock { inbox.stopping = true }
            curl_multi_cleanup(multi)
        }
    }

    /// True on the loop thread, where blocking on the loop's own results would deadlock.
    var isLoopThread: Bool {
        let id = loopThreadID.load(ordering: .acquiring)
        return id != 0 && pthread_equal(pthread_self(), id) != 0
    }

    // MARK: Any thread

    /// Queues a request; after shutdown its completion runs at once with `.shutDown`.
    func submit(_ submission: Submission) {
        inFlight.add(1, ordering: .relaxed)
        let accepted = inboxLock.withLock { () -> Bool in
            guard !inbox.stopping, let multi else { return false }
            inbox.submissions.append(submission)
            // The loop drains the whole inbox per wakeup, so only the first request after a
            // drain needs to wake it; this keeps the syscall off the path of bursts.
            if inbox.submissions.count == 1 { curl_multi_wakeup(multi) }
            return true
        }
        if !accepted {
            inFlight.subtract(1, ordering: .relaxed)
            submission.completion(.failure(.shutDown))
        }
    }

    /// Stops the loop, which fails queued and running transfers with `.shutDown` and frees all
    /// libcurl handles, then joins it. Idempotent. Called on the loop thread (from a
    /// completion) it cannot wait for itself, so it detaches the thread instead.
    func shutdown() {
        inboxLock.withLock {
            guard !inbox.stopping else { return }
            inbox.stopping = true
            if let multi { curl_multi_wakeup(multi) }
        }
        let onLoopThread = isLoopThread
        joinLock.withLock {
            guard let joining = joinable else { return }
            joinable = nil
            if onLoopThread {
                pthread_detach(joining)
            } else {
                pthread_join(joining, nil)
            }
        }
    }

    // MARK: Loop thread

    private func run() {
        guard let multi else { return }
        loopThreadID.store(pthread_self(), ordering: .releasing)
        _ = gw_name_current_thread("curl-multi")  // not `Thread.name`: see CThreadName
        var batch: [Submission] = []
        while true {
            let stopping = inboxLock.withLock { () -> Bool in
                swap(&batch, &inbox.submissions)   // alternate two arrays, keeping both capacities
                return inbox.stopping
            }
            if stopping { break }
            for submission in batch { start(submission, multi) }
            batch.removeAll(keepingCapacity: true)

            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            completeFinished(multi)
            failOverdue(multi)
            // Sleeps until socket activity, libcurl's next timer, or curl_multi_wakeup; while
            // transfers are active, at most until the next deadline sweep.
            let timeoutMs: Int32 = active.isEmpty ? 1000 : Int32(Self.deadlineSweepNanoseconds / 1_000_000)
            if curl_multi_poll(multi, nil, 0, timeoutMs, nil) != CURLM_OK {
                usleep(1000)   // never spin if polling itself fails
            }
        }
        for submission in batch { finish(submission.completion, .failure(.shutDown)) }
        for (raw, transfer) in active {
            curl_multi_remove_handle(multi, raw)
            finish(transfer.completion, .failure(.shutDown))
        }
        active.removeAll()
        pool.removeAll()
        curl_multi_cleanup(multi)
        loopThreadID.store(0, ordering: .releasing)   // the ID may be reused by a later thread
    }

    private func start(_ submission: Submission, _ multi: UnsafeMutableRawPointer) {
        guard let easy = pool.take() else {
            finish(submission.completion, .failure(.other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_easy_init failed")))
            return
        }
        let transfer = Transfer(
            easy: easy, maxResponseBytes: maxResponseBytes, totalTimeout: submission.request.totalTimeout,
            completion: submission.completion)
        do {
            try TransferOptions.configure(transfer, for: submission.request, proxy: proxy)
        } catch {
            pool.recycle(easy)
            finish(submission.completion, .failure(error))
            return
        }
        let code = curl_multi_add_handle(multi, easy.raw)
        guard code == CURLM_OK else {
            pool.recycle(easy)
            let message = String(cString: curl_multi_strerror(code))
            finish(submission.completion, .failure(.other(code: Int(code.rawValue), message: message)))
            return
        }
        active[easy.raw] = transfer
    }

    private func completeFinished(_ multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            // The message is freed by curl_multi_remove_handle: read it first.
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let transfer = active.removeValue(forKey: raw) else { continue }
            let result = transfer.outcome(code)
            curl_multi_remove_handle(multi, raw)
            pool.recycle(transfer.easy)
            finish(transfer.completion, result)
        }
    }

    /// Fails transfers past their deadline that libcurl has not timed out itself. libcurl 7.88
    /// does not time out a transfer while it waits for a free connection under
    /// `maxTotalConnections`/`maxConnectionsPerHost` (state PENDING): it reports the timeout
    /// only once a connection frees up, which can be long after the deadline.
    private func failOverdue(_ multi: UnsafeMutableRawPointer) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard !active.isEmpty, now >= nextDeadlineSweep else { return }
        nextDeadlineSweep = now + Self.deadlineSweepNanoseconds
        let overdue = active.filter { _, transfer in
            transfer.deadline.map { now > $0 + Self.deadlineGraceNanoseconds } ?? false
        }
        for (raw, transfer) in overdue {
            active.removeValue(forKey: raw)
            curl_multi_remove_handle(multi, raw)
            pool.recycle(transfer.easy)
            finish(transfer.completion, .failure(.timedOut("no response within the total timeout (transfer still waiting for a connection or data)")))
        }
    }

    /// Counts the request as done before running its completion, so a completion that checks
    /// `activeTransfers` (or wakes a waiter that does) already sees it gone.
    private func finish(_ completion: @Sendable (Result<ClientResponse, ClientError>) -> Void, _ result: Result<ClientResponse, ClientError>) {
        inFlight.subtract(1, ordering: .relaxed)
        completion(result)
    }
}
