import Foundation
import GatewayKit

/// Firefox's own remote protocol, Marionette, which its WebDriver bridge (geckodriver, not packaged by Debian) speaks
/// underneath: length-prefixed JSON over TCP (`len:[0, id, "WebDriver:Command", params]`, answered with
/// `[1, id, error, result]`). The commands are WebDriver's own, so this maps the W3C HTTP routes
/// ``WebDriverSession`` uses onto them and answers as a driver would: ``BrowserDriver`` uses it for ``WebBrowser/firefox``.
final class MarionetteConnection: @unchecked Sendable {
    private let socket: Int32
    private var nextID = 1
    private let lock = NSLock()

    /// Connects to Marionette on `port` of 127.0.0.1 (retrying until `timeout`: Firefox opens it after it starts) and
    /// reads its greeting.
    init(port: UInt16, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var connected: Int32 = -1
        while connected < 0 && Date() < deadline {
            connected = Self.connect(port: port)
            if connected < 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard connected >= 0 else { throw WebDriverError(message: "Marionette did not open port \(port)") }
        socket = connected
        var wait = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        _ = try receive()  // {"applicationType": "gecko", "marionetteProtocol": 3}
    }

    deinit { close(socket) }

    /// The W3C route `method` `path` (`/session/{id}/…`) with `body`, as Marionette's command; its result as a driver's
    /// `value`.
    func command(_ method: String, _ path: String, _ body: JSONValue?) throws -> JSONValue {
        let (name, parameters) = try Self.route(method, path, body ?? [:])
        return try lock.withLock {
            let id = nextID
            nextID += 1
            try send(.array([.integer(0), .integer(Int64(id)), .string(name), parameters]))
            let answer = try receive()
            guard let parts = answer.arrayValue, parts.count == 4 else {
                throw WebDriverError(message: "\(name): an answer Marionette does not give")
            }
            if let message = parts[2]["message"]?.stringValue {
                throw WebDriverError(message: "\(name): \(parts[2]["error"]?.stringValue ?? "error"): \(message.prefix(500))")
            }
            // Some commands answer {"value": x}, others x itself; a driver answers x.
            if case .object(let fields) = parts[3], fields.count == 1, let value = fields["value"] { return value }
            return parts[3]
        }
    }

    /// Marionette's command and parameters for a W3C route.
    static func route(_ method: String, _ path: String, _ body: JSONValue) throws -> (String, JSONValue) {
        let parts = path.split(separator: "/").map(String.init)  // session, {id}, rest…
        let rest = parts.count > 2 ? Array(parts[2...]) : []
        switch (method, rest.first, rest.count) {
        case ("POST", nil, _) where parts.count == 1: return ("WebDriver:NewSession", body)
        case ("DELETE", nil, _): return ("WebDriver:DeleteSession", [:])
        case ("POST", "url", 1): return ("WebDriver:Navigate", body)
        case ("GET", "url", 1): return ("WebDriver:GetCurrentURL", [:])
        case ("POST", "window", 2): return ("WebDriver:SetWindowRect", body)
        case ("POST", "execute", 2): return (rest[1] == "async" ? "WebDriver:ExecuteAsyncScript" : "WebDriver:ExecuteScript", body)
        case ("DELETE", "cookie", 1): return ("WebDriver:DeleteAllCookies", [:])
        case ("POST", "elements", 1): return ("WebDriver:FindElements", body)
        case ("POST", "actions", 1): return ("WebDriver:PerformActions", body)
        case ("GET", "screenshot", 1): return ("WebDriver:TakeScreenshot", ["full": false])
        case (_, "element", 3):
            let element = JSONValue.string(rest[1])
            switch (method, rest[2]) {
            case ("POST", "click"): return ("WebDriver:ElementClick", ["id": element])
            case ("POST", "clear"): return ("WebDriver:ElementClear", ["id": element])
            case ("POST", "value"): return ("WebDriver:ElementSendKeys", ["id": element, "text": body["text"] ?? ""])
            case ("GET", "text"): return ("WebDriver:GetElementText", ["id": element])
            default: break
            }
        default: break
        }
        throw WebDriverError(message: "no Marionette command for \(method) \(path)")
    }

    private func send(_ message: JSONValue) throws {
        let bytes = JSONWriter.bytes(message)
        let framed = Array("\(bytes.count):".utf8) + bytes
        var sent = 0
        while sent < framed.count {
            let count = framed[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw WebDriverError(message: "Marionette connection lost while sending") }
            sent += count
        }
    }

    private func receive() throws -> JSONValue {
        var header: [UInt8] = []
        while header.last != UInt8(ascii: ":") {
            header.append(try byte())
            guard header.count < 20 else { throw WebDriverError(message: "Marionette sent no length") }
        }
        guard let length = Int(String(decoding: header.dropLast(), as: UTF8.self)) else {
            throw WebDriverError(message: "Marionette sent a bad length")
        }
        var payload = [UInt8](repeating: 0, count: length)
        var read = 0
        while read < length {
            let count = payload[read...].withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw WebDriverError(message: "Marionette connection lost while reading") }
            read += count
        }
        return try JSONParser.parse(payload)
    }

    private func byte() throws -> UInt8 {
        var value: UInt8 = 0
        guard recv(socket, &value, 1, 0) == 1 else { throw WebDriverError(message: "Marionette connection lost") }
        return value
    }

    private static func connect(port: UInt16) -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return -1
        }
        return fd
    }
}
