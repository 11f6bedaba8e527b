import CThreadName
import Foundation
import Glibc

/// A local stand-in for Omnichannel or the Chat Panel on plain keep-alive sockets: answers every request `200` with a
/// fixed JSON body at once and counts requests. One `poll` thread. Like the socket client, it keeps the harness's CPU
/// off the cores the gateway is measured on: libmicrohttpd stubs took ~20 µs of CPU per deal for the two calls.
final class SocketStubServer: @unchecked Sendable {
    private let listener: Int32
    private let port: UInt16
    private let response: [UInt8]
    private let lock = NSLock()
    private var count = 0
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(body: String) throws {
        (listener, port) = try BenchSocket.listen()
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        response = Array(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
        let thread = Thread { [self] in
            _ = gw_name_current_thread("stub-server")  // not `Thread.name`: see CThreadName
            serve()
            finished.signal()
        }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    var requests: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// Stops serving and closes every connection. Call once.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        finished.wait()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func serve() {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        var frames: [HTTPFrames] = [HTTPFrames()]  // index-aligned with `fds`; slot 0 (the listener) unused
        while !isStopping {
            guard poll(&fds, nfds_t(fds.count), 100) > 0 else { continue }
            var closed: [Int] = []
            for index in fds.indices where fds[index].revents != 0 {
                fds[index].revents = 0
                if index == 0 {
                    acceptAll(&fds, &frames)
                } else if !answer(fds[index].fd, &frames[index]) {
                    closed.append(index)
                }
            }
            for index in closed.reversed() {
                close(fds[index].fd)
                fds.remove(at: index)
                frames.remove(at: index)
            }
        }
        for entry in fds { close(entry.fd) }
    }

    private func acceptAll(_ fds: inout [pollfd], _ frames: inout [HTTPFrames]) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            BenchSocket.noDelay(client)
            fds.append(pollfd(fd: client, events: Int16(POLLIN), revents: 0))
            frames.append(HTTPFrames())
        }
    }

    /// Answers every complete request read from `fd`; false when the connection is done.
    private func answer(_ fd: Int32, _ frames: inout HTTPFrames) -> Bool {
        do {
            while try frames.receive(from: fd) {
                if frames.wantsContinue {
                    try BenchSocket.send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                    frames.continued = true
                }
                var answered = 0
                while frames.next() != nil {
                    try BenchSocket.send(fd, response)
                    answered += 1
                }
                if answered > 0 {
                    lock.lock()
                    count += answered
                    lock.unlock()
                }
            }
            return true
        } catch {
            return false
        }
    }
}
