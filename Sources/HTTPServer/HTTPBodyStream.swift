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
/// A long-lived stream such as Server-Sent Events is built on the same type by adding a third ``Progress`` case,
/// `waiting`: a producer with nothing to send yet returns it; the server then suspends the connection
/// (`MHD_suspend_connection` from the content reader, returning 0 bytes, which MHD allows only together with a
/// suspension) and hands the producer a wake-up that calls `MHD_resume_connection` when the next event is there
/// — no thread is held and nothing polls. The client going away still ends in `close(.clientGone)`.
public final class HTTPBodyStream: @unchecked Sendable {
    /// What a `produce` call says about the rest of the body.
    public enum Progress: Sendable {
        /// More pieces follow (the next call is made when the client has taken these bytes).
        case more
        /// This was the last piece.
        case finished
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

    /// - Parameters:
    ///   - produce: appends the next piece (any size; a piece of tens of kilobytes keeps the overhead low) and says
    ///     whether more follows. Called on one thread at a time.
    ///   - close: releases what the producer holds; runs once with how the stream ended.
    public init(produce: @escaping (inout [UInt8]) throws -> Progress,
                close: @escaping (Ending) -> Void = { _ in }) {
        self.produceNext = produce
        self.onClose = close
    }

    deinit {
        finish(failed ? .failed : .clientGone)
    }

    /// What the connection gets next: up to `capacity` bytes copied to `destination`, 0 for the end of the body, or
    /// nil when the producer failed (the connection is then cut).
    func read(into destination: UnsafeMutableRawBufferPointer) -> Int? {
        while pendingStart == pending.count {
            if producedAll { return 0 }
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            do {
                producedAll = try produceNext(&pending) == .finished
            } catch {
                failed = true
                finish(.failed)
                return nil
            }
        }
        let count = min(destination.count, pending.count - pendingStart)
        pending.withUnsafeBytes { source in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[pendingStart..<pendingStart + count]))
        }
        pendingStart += count
        return count
    }

    /// The connection is done with the body (sent, cut or abandoned).
    func release() {
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
