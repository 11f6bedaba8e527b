import Foundation

/// Counts what a graceful stop has to wait for, and lets it refuse new work at the end.
///
/// "Live" requests are those libmicrohttpd has presented to us and not yet reported complete
/// (receiving, handling, or sending the response). "In flight" requests are the subset whose
/// handler was called and has not responded yet; the registry keeps their contexts so a stop
/// that runs out of patience can answer them and resume their connections: MHD panics when
/// stopped with a connection still suspended.
final class RequestRegistry: @unchecked Sendable {
    private let condition = NSCondition()
    private var liveRequests = 0
    private var inFlight: [ObjectIdentifier: RequestContext] = [:]
    private var refusingNewWork = false

    var inFlightCount: Int {
        condition.withLock { inFlight.count }
    }

    var liveCount: Int {
        condition.withLock { liveRequests }
    }

    func requestStarted() {
        condition.withLock { liveRequests += 1 }
    }

    func requestCompleted(_ context: RequestContext) {
        condition.withLock {
            liveRequests -= 1
            inFlight.removeValue(forKey: ObjectIdentifier(context))
            condition.broadcast()
        }
    }

    /// Registers a context whose handler is about to run. False once a stop refuses new work:
    /// the caller then answers by itself instead of calling the handler.
    func beginHandling(_ context: RequestContext) -> Bool {
        condition.withLock {
            guard !refusingNewWork else { return false }
            inFlight[ObjectIdentifier(context)] = context
            return true
        }
    }

    func finishHandling(_ context: RequestContext) {
        condition.withLock {
            if inFlight.removeValue(forKey: ObjectIdentifier(context)) != nil {
                condition.broadcast()
            }
        }
    }

    /// Waits until nothing is in flight and every started request has completed, or until
    /// `deadline`. Returns whether it got idle.
    func waitUntilIdle(before deadline: Date) -> Bool {
        condition.withLock {
            while !inFlight.isEmpty || liveRequests > 0 {
                if !condition.wait(until: deadline) {
                    return inFlight.isEmpty && liveRequests == 0
                }
            }
            return true
        }
    }

    /// From now on `beginHandling` fails. Returns the contexts still waiting for their handler,
    /// which the caller must answer so their connections get resumed.
    func refuseNewWork() -> [RequestContext] {
        condition.withLock {
            refusingNewWork = true
            return Array(inFlight.values)
        }
    }
}
