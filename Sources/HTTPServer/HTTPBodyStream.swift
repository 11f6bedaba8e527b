import CMicroHTTPD
import Foundation

/// A response body made piece by piece while the client reads it: an export of a million rows goes out in constant
/// memory, and the client starts receiving before the last row is read.
///
/// The server sends such a body with chunked transfer encoding (HTTP/1.1; an HTTP/1.0 client reads until the
/// connection closes). It asks the stream for bytes only when the client's socket can take more, on the
/// libmicrohttpd worker thread that owns the connection: a slow reader holds its own connection open and nothing
/// else — other connections on that thread are served in between. One `produce` call, however, does run on that
/// thread, so it should do a bounded piece of work (one page of rows, a few milliseconds), never wait for
/// something that may take long.
///
/// `produce` appends the next piece to the buffer it is given and says whether more follows. When it throws after
/// the status line and headers are out, the stream ends there: the connection is closed without the final chunk,
/// so the client sees a truncated body (never a complete-looking one, never a hang). `close` runs exactly once,
/// on whichever thread ends the stream, with how it ended — after the last piece, after a failure, or when the
/// client went away mid-stream (or the response was never sent) — so the producer's resources (a read
/// connection, a cursor) are released in every case.
///
/// A long-lived stream such as Server-Sent Events returns ``Progress/waiting`` when it has nothing to send yet: the
/// server then suspends the connection (`MHD_suspend_connection` from the content reader, returning 0 bytes, which
/// MHD allows only together with a suspension) until ``wake()`` resumes it and `produce` is asked again — no thread
/// is held and nothing polls. A suspended connection is not watched by MHD, so a client that went away is noticed
/// at the next write: such a producer sends something (a comment, a heartbeat) now and then. A long-lived stream
/// is ended by the server when it stops or hands over to its successor (``end()``): the body finishes cleanly and
/// the client reconnects.
public final class HTTPBodyStream: @unchecked Sendable {
    /// What a `produce` call says about the rest of the body.
    public enum Progress: Sendable {
        /// More pieces follow (the next call is made when the client has taken these bytes).
        case more
        /// This was the last piece.
        case finished
        /// Nothing to send until ``wake()`` is called (whatever was appended is sent first).
        case waiting
    }

    /// What one read gives the connection.
    enum Read: Equatable {
        /// This many bytes were copied.
        case bytes(Int)
        /// The body is complete.
        case end
        /// The producer failed: cut the connection.
        case failed
        /// Nothing now: the connection was suspended until ``wake()``.
        case suspended
    }

    /// How a stream ended, as `close` learns it.
    public enum Ending: Sendable, Equatable {
        /// Every byte was produced and handed to the connection.
        case finished
        /// `produce` threw; the client got a truncated body.
        case failed
        /// The client closed the connection (or the request ended) before the body was complete.
        case clientGone
    }

    private let produceNext: (inout [UInt8]) throws -> Progress
    private let onClose: (Ending) -> Void
    /// Produced bytes not yet handed to the connection, from `pendingStart` on.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var producedAll = false
    private var failed = false
    private let closeLock = NSLock()
    private var closed = false
    /// Whether the server ends this stream when it stops (a stream of events that only ends when the client leaves).
    let isLongLived: Bool
    private let suspension = NSLock()
    /// The connection carrying the body, while it lives (set when queued, cleared on release); under `suspension`.
    private var connection: OpaquePointer?
    private var isSuspended = false
    private var wakePending = false
    private var endRequested = false
    /// Where a long-lived stream is tracked while its connection lives.
    private var liveStreams: LiveStreams?

    /// - Parameters:
    ///   - longLived: the body ends only when the client leaves (or the server asks it to, see ``end()``).
    ///   - produce: appends the next piece (any size; a piece of tens of kilobytes keeps the overhead low) and says
    ///     whether more follows. Called on one thread at a time.
    ///   - close: releases what the producer holds; runs once with how the stream ended.
    public init(longLived: Bool = false, produce: @escaping (inout [UInt8]) throws -> Progress,
                close: @escaping (Ending) -> Void = { _ in }) {
        self.isLongLived = longLived
        self.produceNext = produce
        self.onClose = close
    }

    /// Asks for the next piece: a suspended connection is resumed and `produce` called; otherwise the next
    /// ``Progress/waiting`` is ignored once. Any thread.
    public func wake() {
        suspension.withLock {
            guard isSuspended, let connection else {
                wakePending = true
                return
            }
            isSuspended = false
            // Under the lock, so a release (which clears `connection`) cannot come between; a suspended connection
            // is not freed by MHD until it is resumed.
            MHD_resume_connection(connection)
        }
    }

    /// Finishes the body after what was already produced (the server stops or hands over). Any thread.
    public func end() {
        suspension.withLock { endRequested = true }
        wake()
    }

    /// The connection the body goes out on, from when the response is queued; a long-lived stream is tracked in
    /// `liveStreams` until the connection is done with it.
    func attach(to connection: OpaquePointer, tracking liveStreams: LiveStreams) {
        suspension.withLock {
            self.connection = connection
            if isLongLived { self.liveStreams = liveStreams }
        }
        if isLongLived { liveStreams.add(self) }
    }

    deinit {
        finish(failed ? .failed : .clientGone)
    }

    /// What the connection gets next: up to `destination.count` bytes copied there, the end of the body, a failed
    /// producer (the connection is then cut), or nothing for now (the connection is suspended; MHD thread only).
    func read(into destination: UnsafeMutableRawBufferPointer) -> Read {
        while pendingStart == pending.count {
            if !producedAll, suspension.withLock({ endRequested }) { producedAll = true }
            if producedAll { return .end }
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            let progress: Progress
            do {
                progress = try produceNext(&pending)
            } catch {
                failed = true
                finish(.failed)
                return .failed
            }
            switch progress {
            case .more: break
            case .finished: producedAll = true
            case .waiting: if pending.isEmpty, let pause = suspendUnlessWoken() { return pause }
            }
        }
        let count = min(destination.count, pending.count - pendingStart)
        pending.withUnsafeBytes { source in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[pendingStart..<pendingStart + count]))
        }
        pendingStart += count
        return .bytes(count)
    }

    /// Suspends the connection unless a wake-up (or an end) came since the producer last looked: `.suspended`, or
    /// nil to ask the producer again. A body not on a connection has nobody to wait for and ends.
    private func suspendUnlessWoken() -> Read? {
        suspension.withLock {
            guard let connection else { return .end }
            if wakePending || endRequested {
                wakePending = false
                return nil
            }
            isSuspended = true
            MHD_suspend_connection(connection)
            return .suspended
        }
    }

    /// The connection is done with the body (sent, cut or abandoned).
    func release() {
        let tracker = suspension.withLock {
            connection = nil
            defer { liveStreams = nil }
            return liveStreams
        }
        tracker?.remove(self)
        finish(failed ? .failed : producedAll && pendingStart == pending.count ? .finished : .clientGone)
    }

    private func finish(_ ending: Ending) {
        let first = closeLock.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        pending = []
        onClose(ending)
    }
}
