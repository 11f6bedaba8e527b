import Foundation

/// A Server-Sent Events client for tests: one `GET` on a raw socket, then the events as they arrive, parsed from the
/// chunked body the way a browser's `EventSource` reads them (`id`, `event`, `data` fields; comments skipped).
package final class TestEventStream {
    /// One event as dispatched: its type (`message` when unnamed), data, and the last event id seen so far.
    package struct Event: Equatable, Sendable {
        package let type: String
        package let data: String
        package let lastEventID: String?
    }

    package let socket: TestSocket
    /// The status line and headers.
    package let status: Int
    package let responseHeaders: [(String, String)]
    /// Comment lines received (heartbeats), in order.
    package private(set) var comments: [String] = []
    private var raw: [UInt8] = []
    private var text = ""
    private var lastEventID: String?
    private var queued: [Event] = []

    /// Opens `path` with `headers` (Authorization, Last-Event-ID, ...).
    package init(port: UInt16, path: String, headers: [(String, String)] = [], readTimeout: TimeInterval = 10) throws {
        socket = try TestSocket(port: port, readTimeout: readTimeout)
        let lines = ["GET \(path) HTTP/1.1", "Host: 127.0.0.1", "Accept: text/event-stream"]
            + headers.map { "\($0.0): \($0.1)" }
        try socket.send(lines.joined(separator: "\r\n") + "\r\n\r\n")
        while raw.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            guard let chunk = socket.receiveSome(), !chunk.isEmpty else { break }
            raw += chunk
        }
        guard let end = raw.firstRange(of: Array("\r\n\r\n".utf8)),
              let head = TestResponse.parse(Array(raw[..<end.upperBound])) else {
            throw TestSocket.Failure.closedBeforeResponse(raw)
        }
        status = head.status
        responseHeaders = head.headers
        raw.removeSubrange(..<end.upperBound)
        if status != 200 {  // a problem answer: its body, whole
            let length = head.header("content-length").flatMap { Int($0) } ?? Int.max
            while raw.count < length, let chunk = socket.receiveSome(), !chunk.isEmpty { raw += chunk }
        }
    }

    /// The body received so far of a non-200 answer (it may be chunked).
    package var problemText: String { String(decoding: raw, as: UTF8.self) }

    /// The next event, or nil when the stream ended or nothing came within the socket's read timeout.
    package func next() -> Event? {
        while queued.isEmpty {
            parseChunks()
            parseEvents()
            guard queued.isEmpty else { break }
            guard let chunk = socket.receiveSome(), !chunk.isEmpty else { return nil }
            raw += chunk
        }
        return queued.removeFirst()
    }

    /// Events until one of `type` arrives (included), or nil when none does.
    package func next(ofType type: String) -> (event: Event, skipped: [Event])? {
        var skipped: [Event] = []
        while let event = next() {
            if event.type == type { return (event, skipped) }
            skipped.append(event)
        }
        return nil
    }

    /// Moves complete chunks from `raw` to `text`.
    private func parseChunks() {
        while let lineEnd = raw.firstRange(of: [13, 10]) {
            let sizeText = String(decoding: raw[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { return }
            let start = lineEnd.upperBound
            guard raw.count >= start + size + 2 else { return }
            text += String(decoding: raw[start..<start + size], as: UTF8.self)
            raw.removeSubrange(..<(start + size + 2))
        }
    }

    /// Moves complete events (ended by a blank line) from `text` to `queued`.
    private func parseEvents() {
        while let blank = text.range(of: "\n\n") {
            let block = text[..<blank.lowerBound]
            text.removeSubrange(..<blank.upperBound)
            var type = "message"
            var data: [Substring] = []
            var hasFields = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                    continue
                }
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? parts[1].drop { $0 == " " } : ""
                switch parts[0] {
                case "id": lastEventID = String(value)
                case "event": type = String(value); hasFields = true
                case "data": data.append(value); hasFields = true
                default: break
                }
            }
            if hasFields {
                queued.append(Event(type: type, data: data.joined(separator: "\n"), lastEventID: lastEventID))
            }
        }
    }
}
