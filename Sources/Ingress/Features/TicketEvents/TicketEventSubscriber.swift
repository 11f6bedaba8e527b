import Access
import Conversations
import Delivery
import Foundation
import HTTPServer

/// One client of `GET /v1/stream`: the Server-Sent Events text it has not been sent yet, built from the feed's
/// events it may see (its caller's outlet scope), heartbeats and the end of its turn. The hub appends; the client's
/// connection takes the text through ``produce(into:)`` and waits (suspended, no thread held) when there is none.
final class TicketEventSubscriber: @unchecked Sendable {
    /// Text held for a client that reads too slowly: beyond it the events are dropped for one `reset` (the client
    /// reloads what it shows) rather than memory growing without bound.
    static let maxPendingBytes = 256 * 1024

    private let scope: AccessScope
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var finished = false
    private var lastWrite = DispatchTime.now()
    /// The feed position this client has been brought to: events up to it are not sent (again).
    private var cursor = LogPosition.start
    /// When this client's turn ends (see ``TicketEventHub/turnSeconds``).
    let endsAt: DispatchTime
    /// The body the text goes out in; woken when text arrives.
    weak var body: HTTPBodyStream?

    init(scope: AccessScope, endsAt: DispatchTime) {
        self.scope = scope
        self.endsAt = endsAt
        // How long the browser waits before reconnecting after the stream ends or breaks.
        append("retry: 2000\n\n")
    }

    /// Appends the events after its position this client may see.
    func deliver(_ events: [TicketEvent]) {
        let after = lock.withLock {
            defer { cursor = max(cursor, events.last?.position ?? .start) }
            return cursor
        }
        var text = ""
        for event in events where event.position > after && scope.covers(fid: event.fid, oid: event.oid) {
            text += "id: \(event.position.eventID)\nevent: ticket\n"
                + "data: {\"ticket_id\":\(event.ticketID),\"kind\":\"\(event.kind)\"}\n\n"
        }
        if !text.isEmpty { send(text) }
    }

    /// Marks events up to `position` as already seen by this client (the `Last-Event-ID` it presented).
    func skip(through position: LogPosition) {
        lock.withLock { cursor = max(cursor, position) }
    }

    /// Tells the client where it is in the feed — `position`, or further if it was there already — so its next
    /// reconnect resumes from there.
    func ready(at position: LogPosition) {
        let at = lock.withLock {
            cursor = max(cursor, position)
            return cursor
        }
        send("id: \(at.eventID)\nevent: ready\ndata: {}\n\n")
    }

    /// Tells the client it missed events (its position is too old, or it read too slowly): it reloads what it shows
    /// and follows from `position`.
    func reset(at position: LogPosition) {
        lock.withLock {
            pending = []
            cursor = position
        }
        send("id: \(position.eventID)\nevent: reset\ndata: {}\n\n")
    }

    /// A comment line when nothing was sent for `interval` seconds: keeps proxies and the server's idle timeout
    /// from closing a quiet stream, and makes a client that went away show up (a suspended connection is only seen
    /// to be closed when written to).
    func heartbeat(ifQuietFor interval: Double) {
        let quiet = lock.withLock { Double(DispatchTime.now().uptimeNanoseconds - lastWrite.uptimeNanoseconds) / 1e9 }
        if quiet >= interval { send(": keep-alive\n\n") }
    }

    /// Ends the body once the pending text is out.
    func finish() {
        lock.withLock { finished = true }
        body?.wake()
    }

    /// The connection's side: the pending text, or wait, or the end.
    func produce(into buffer: inout [UInt8]) -> HTTPBodyStream.Progress {
        lock.withLock {
            guard !pending.isEmpty else { return finished ? .finished : .waiting }
            swap(&buffer, &pending)
            return .more
        }
    }

    private func send(_ text: String) {
        let overflow = lock.withLock {
            lastWrite = DispatchTime.now()
            pending.append(contentsOf: text.utf8)
            return pending.count > Self.maxPendingBytes
        }
        if overflow {
            lock.withLock { pending = Array("event: reset\ndata: {}\n\n".utf8) }
        }
        body?.wake()
    }

    private func append(_ text: String) {
        pending.append(contentsOf: text.utf8)
    }
}
