import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What slow-client and hostile-request tests do with a socket: send without throwing, trickle bytes, and tell a
/// connection the server closed from one that is merely quiet.
extension TestSocket {
    /// Sends `bytes`; false when the server already closed the connection (EPIPE, ECONNRESET).
    @discardableResult
    package func offer(_ bytes: [UInt8]) -> Bool { (try? send(bytes)) != nil }

    @discardableResult
    package func offer(_ text: String) -> Bool { offer(Array(text.utf8)) }

    /// Whether the server has closed the connection: end-of-stream or a reset is waiting. Does not block, and
    /// discards any bytes the server sent.
    package var isClosedByServer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { continue }
            if count == 0 { return true }
            return errno != EAGAIN && errno != EWOULDBLOCK
        }
    }

    /// Sends `bytes` one at a time, `interval` apart, until the server closes the connection or `giveUp` passes.
    /// Returns the seconds from `start` to the moment the close was seen, or nil when it never came.
    package func trickle(_ bytes: [UInt8], every interval: TimeInterval, from start: Date,
                         giveUp: TimeInterval) -> TimeInterval? {
        var index = 0
        while Date().timeIntervalSince(start) < giveUp {
            if isClosedByServer { return Date().timeIntervalSince(start) }
            if !offer([bytes[index % bytes.count]]) { return Date().timeIntervalSince(start) }
            index += 1
            Thread.sleep(forTimeInterval: interval)
        }
        return nil
    }

    /// One complete response (framed by Content-Length), waiting up to `timeout`; nil when none came, or what
    /// arrived when the server closed the connection first.
    package func awaitResponse(timeout: TimeInterval = 5) -> TestResponse? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let response = TestResponse.parse(received), response.isComplete { return response }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) >= 0 else { return nil }
            guard ready.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return TestResponse.parse(received) }
            received += buffer[0..<count]
        }
        return nil
    }

    /// Waits up to `timeout` for the server to close the connection; the seconds from `start` until it did, or nil.
    package func waitForClose(from start: Date, timeout: TimeInterval) -> TimeInterval? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if isClosedByServer { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }
}
