import Foundation
import HTTPClient

/// Everything that reaches the dispatcher thread from elsewhere: finished requests (libcurl's thread), committed
/// syncs (the writer's thread), wake-ups (the doorbell), admin actions and the stop request. Other threads only post;
/// the dispatcher thread takes everything at once and sleeps here when there is nothing to do.
final class DispatcherMailbox: @unchecked Sendable {
    enum Event: Sendable {
        /// `startedAt` in unix ms of the dispatcher's clock; `seconds` measured on the monotonic clock.
        case finished(OutboxRecord, Result<ClientResponse, ClientError>, startedAt: Int64, seconds: Double)
        case synced(Result<OutboxSync.Outcome, any Error>, OutboxSync.Order)
        case enable(EndpointEnableRequest)
    }

    struct Mail {
        var events: [Event] = []
        var woken = false
        var stopping = false
    }

    private let condition = NSCondition()
    private var pending = Mail()
    private var stopRequested = false
    /// Wakes the waiter once for the stop request; afterwards it sleeps normally while it drains.
    private var stopUnseen = false

    func post(_ event: Event) {
        condition.lock()
        pending.events.append(event)
        condition.signal()
        condition.unlock()
    }

    /// New rows may be due (the doorbell, a test moving its clock).
    func wake() {
        condition.lock()
        pending.woken = true
        condition.signal()
        condition.unlock()
    }

    func requestStop() {
        condition.lock()
        stopRequested = true
        stopUnseen = true
        condition.signal()
        condition.unlock()
    }

    /// Waits until something was posted or `deadline` passed, then takes everything posted so far.
    func take(waitingUntil deadline: Date) -> Mail {
        condition.lock()
        defer { condition.unlock() }
        while pending.events.isEmpty && !pending.woken && !stopUnseen {
            if !condition.wait(until: deadline) { break }
        }
        var taken = pending
        taken.stopping = stopRequested
        stopUnseen = false
        pending = Mail()
        return taken
    }
}
