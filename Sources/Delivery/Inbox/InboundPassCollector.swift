import Foundation
import GatewayKit

/// How one item of an applier pass ended, with the counters its steps gathered.
struct InboundItemResult: Sendable {
    let outcome: InboxItemPass.Outcome
    let counts: MetricCounts
}

/// Gathers one ``InboundItemApplier`` pass whose items run as separate writer operations: their completions arrive
/// on the writer's side; the applier thread waits until the listing has committed and every listed item has reported,
/// or, for items handed over by the normalizer, `onComplete` runs once the last has.
final class InboundPassCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var pass = InboundPass()
    /// Set once the listing operation has run; nil until then.
    private var expected: Int?
    /// The listing operation has completed (committed or failed), so the pass is a barrier: whatever was queued
    /// before it has committed when the pass ends.
    private var listingFinished = false
    private var received = 0
    private var storeErrors = 0
    private var onComplete: (@Sendable (InboundPass, Int) -> Void)?

    init(onComplete: (@Sendable (_ pass: InboundPass, _ storeErrors: Int) -> Void)? = nil) {
        self.onComplete = onComplete
    }

    /// The listing found `count` items (called before any of them is queued).
    func expect(_ count: Int) {
        condition.lock()
        expected = count
        condition.broadcast()
        let finish = takeCompletionIfDone()
        condition.unlock()
        finish?()
    }

    /// The listing has committed (or there was none: the items were handed over).
    func listingCommitted() {
        condition.lock()
        listingFinished = true
        if isComplete { condition.broadcast() }
        let finish = takeCompletionIfDone()
        condition.unlock()
        finish?()
    }

    /// The listing (or its commit) failed. Items it had already queued still report, so the wait still covers them.
    func listingFailed() {
        condition.lock()
        storeErrors += 1
        listingFinished = true
        if expected == nil { expected = 0 }
        condition.broadcast()
        let finish = takeCompletionIfDone()
        condition.unlock()
        finish?()
    }

    /// One item's committed result; nil when it was no longer pending. An error is store trouble (the item stays
    /// pending): domain errors are already an item outcome.
    @Sendable func receive(_ result: Result<InboundItemResult?, Error>) {
        condition.lock()
        switch result {
        case .success(let item?): pass.add(item)
        case .success(nil): break
        case .failure: storeErrors += 1
        }
        received += 1
        // Only the last report wakes the waiting applier thread (not one wake-up per item).
        if isComplete { condition.broadcast() }
        let finish = takeCompletionIfDone()
        condition.unlock()
        finish?()
    }

    /// Blocks until the pass is complete.
    func wait() -> (pass: InboundPass, storeErrors: Int) {
        condition.lock()
        defer { condition.unlock() }
        while !isComplete {
            condition.wait()
        }
        return (pass, storeErrors)
    }

    /// The listing has committed and every item it queued has reported (call with the lock held).
    private var isComplete: Bool { listingFinished && (expected.map { received >= $0 } ?? false) }

    /// `onComplete` with the pass, once, when it is complete (call with the lock held; run the result after unlocking).
    private func takeCompletionIfDone() -> (() -> Void)? {
        guard isComplete, let onComplete else { return nil }
        self.onComplete = nil
        let (pass, storeErrors) = (self.pass, self.storeErrors)
        return { onComplete(pass, storeErrors) }
    }
}
