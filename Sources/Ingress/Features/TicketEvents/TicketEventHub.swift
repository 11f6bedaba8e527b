import Access
import Conversations
import Delivery
import Foundation
import GatewayKit

/// Follows the desk's change feed for every connected `GET /v1/stream` client: while at least one is connected it
/// reads the events after its position every ``pollInterval`` — one short read however many clients — and hands
/// each client those it may see. Reading the feed (rather than hearing about changes in this process) means every
/// change reaches the client whichever instance made it, and a client resumes exactly where it left off.
final class TicketEventHub: Service, @unchecked Sendable {
    /// How often the feed is read while clients are connected.
    static let pollInterval: DispatchTimeInterval = .milliseconds(250)
    /// Events read at once; a burst larger than a few pages is caught up over the next ticks.
    static let pageSize = 500
    /// How far back a reconnecting client is brought up to date event by event; further back it gets a `reset`.
    static let maxCatchUp = 1_000

    private let feed: TicketEventFeed
    /// Seconds without output after which a client gets a heartbeat.
    let heartbeatSeconds: Double
    /// How long one connection serves: then the body ends and the browser reconnects, presenting its credentials
    /// again — a revoked session or token stops receiving within one turn.
    let turnSeconds: Double
    private let queue = DispatchQueue(label: "ticket-event-hub")
    // Touched on `queue` only.
    private var subscribers: [ObjectIdentifier: TicketEventSubscriber] = [:]
    private var position: LogPosition?
    private var timer: DispatchSourceTimer?
    private var stopped = false

    init(feed: TicketEventFeed, heartbeatSeconds: Double, turnSeconds: Double = 60, metrics: MetricsRegistry) {
        self.feed = feed
        self.heartbeatSeconds = heartbeatSeconds
        self.turnSeconds = turnSeconds
        metrics.registerGauge("gateway_event_streams", help: "Clients connected to the live event stream "
                              + "(GET /v1/stream).") { [weak self] in
            [(labels: [], value: Double(self?.count ?? 0))]
        }
    }

    var count: Int { queue.sync { subscribers.count } }

    func start() throws {}

    /// Ends every client's stream (they reconnect once the gateway is back).
    func stop() {
        queue.sync {
            stopped = true
            timer?.cancel()
            timer = nil
            for subscriber in subscribers.values { subscriber.finish() }
            subscribers = [:]
        }
    }

    /// A new client seeing `scope`, resuming after feed position `resumeFrom` (the `Last-Event-ID` it presents) or
    /// starting from now. Blocking (reads the feed).
    func subscribe(scope: AccessScope, resumeFrom: LogPosition?) throws -> TicketEventSubscriber {
        let subscriber = TicketEventSubscriber(scope: scope, endsAt: .now() + turnSeconds)
        try queue.sync {
            if position != nil { advance() }  // everyone up to date, so the newcomer's catch-up reaches now
            let now = try position ?? feed.latest()
            position = now
            if let resumeFrom {
                // Brought up to the hub's position event by event (further events come with the next tick); a
                // client ahead of this hub (it followed another instance) is not sent those it had again.
                let backlog = try feed.canResume(from: resumeFrom)
                    ? feed.events(after: resumeFrom, limit: Self.maxCatchUp + 1).filter { $0.position <= now } : nil
                if let backlog, backlog.count <= Self.maxCatchUp {
                    subscriber.skip(through: resumeFrom)
                    subscriber.deliver(backlog)
                    subscriber.ready(at: now)
                } else {
                    subscriber.reset(at: now)
                }
            } else {
                subscriber.ready(at: now)
            }
            if stopped {
                subscriber.finish()
            } else {
                subscribers[ObjectIdentifier(subscriber)] = subscriber
                startTimer()
            }
        }
        return subscriber
    }

    /// The client's connection is done.
    func unsubscribe(_ subscriber: TicketEventSubscriber) {
        queue.async { [self] in
            subscribers.removeValue(forKey: ObjectIdentifier(subscriber))
            if subscribers.isEmpty {
                timer?.cancel()
                timer = nil
                position = nil  // nobody follows: the next client starts from the feed's newest event
            }
        }
    }

    private func startTimer() {
        guard timer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.pollInterval, repeating: Self.pollInterval)
        timer.setEventHandler { [weak self] in self?.tick() }
        self.timer = timer
        timer.resume()
    }

    /// One read of the feed, handed to every client; heartbeats and ends of turn.
    private func tick() {
        advance()
        let now = DispatchTime.now()
        for (key, subscriber) in subscribers {
            if subscriber.endsAt <= now {
                subscriber.finish()
                subscribers.removeValue(forKey: key)
            } else {
                subscriber.heartbeat(ifQuietFor: heartbeatSeconds)
            }
        }
    }

    /// Reads the events after the hub's position and hands them to every client.
    private func advance() {
        guard let start = position else { return }
        do {
            var after = start
            for _ in 0..<4 {
                let events = try feed.events(after: after, limit: Self.pageSize)
                guard let last = events.last else { break }
                for subscriber in subscribers.values { subscriber.deliver(events) }
                after = last.position
                if events.count < Self.pageSize { break }
            }
            position = after
        } catch {
            // The store is unreadable right now: the clients keep their place and the next tick tries again.
        }
    }
}
