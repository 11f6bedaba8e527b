import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in mail server on 127.0.0.1 that speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT;
/// no STARTTLS, no AUTH) to accept messages, one connection at a time, and keeps what it received.
package final class SMTPStub: @unchecked Sendable {
    package struct Mail: Equatable {
        package var from = ""
        package var recipients: [String] = []
        package var data = ""
    }

    package private(set) var port: UInt16 = 0
    private let listener: Int32
    private let lock = NSLock()
    private var mails: [Mail] = []

    package var received: [Mail] { lock.withLock { mails } }

    package init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    deinit { close(listener) }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            converse(connection)
            close(connection)
        }
    }

    private func converse(_ connection: Int32) {
        var buffer = ""
        func say(_ line: String) { _ = line.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        func readLine() -> String? {
            while !buffer.contains("\r\n") {
                var bytes = [UInt8](repeating: 0, count: 4096)
                let count = recv(connection, &bytes, bytes.count, 0)
                guard count > 0 else { return nil }
                buffer += String(decoding: bytes[0..<count], as: UTF8.self)
            }
            let range = buffer.range(of: "\r\n")!
            let line = String(buffer[..<range.lowerBound])
            buffer = String(buffer[range.upperBound...])
            return line
        }
        say("220 stub ESMTP\r\n")
        var mail = Mail()
        while let line = readLine() {
            let verb = line.prefix(4).uppercased()
            switch verb {
            case "EHLO": say("250-stub\r\n250 8BITMIME\r\n")
            case "HELO", "NOOP": say("250 OK\r\n")
            case "MAIL": mail.from = String(line.dropFirst(10)); say("250 OK\r\n")
            case "RCPT": mail.recipients.append(String(line.dropFirst(8))); say("250 OK\r\n")
            case "RSET": mail = Mail(); say("250 OK\r\n")
            case "DATA":
                say("354 go ahead\r\n")
                var lines: [String] = []
                while let dataLine = readLine(), dataLine != "." { lines.append(dataLine) }
                mail.data = lines.joined(separator: "\r\n")
                lock.withLock { mails.append(mail) }
                mail = Mail()
                say("250 OK queued\r\n")
            case "QUIT": say("221 bye\r\n"); return
            default: say("502 not implemented\r\n")
            }
        }
    }
}
