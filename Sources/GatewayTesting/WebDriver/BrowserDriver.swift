import Foundation
import GatewayKit
import HTTPClient

/// The WebDriver program of a ``WebBrowser`` run as a child process on a free 127.0.0.1 port, spoken to over HTTP
/// (W3C WebDriver) with our libcurl client. One driver serves many sessions; ``WebDriverSession`` is one browser.
public final class BrowserDriver: @unchecked Sendable {
    public let browser: WebBrowser
    public let baseURL: String
    // Screenshots come back as base64 JSON of a few MiB.
    let client = CurlMultiClient(maxResponseBytes: 32 << 20)
    private let process = Process()
    /// The display a browser that needs one draws on.
    private let display: VirtualDisplay?
    /// Firefox: its Marionette connection, and the throwaway profile that names its port.
    private let marionette: MarionetteConnection?
    private let profile: URL?

    /// Starts the driver and waits until it answers `/status` as ready.
    public init(_ browser: WebBrowser = .chromium, timeout: TimeInterval = 20) throws {
        self.browser = browser
        let port = try FreePort.find()
        baseURL = "http://127.0.0.1:\(port)"
        display = browser == .webkit ? try VirtualDisplay() : nil
        if let display {
            process.environment = ProcessInfo.processInfo.environment.merging(["DISPLAY": display.name]) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: browser.driver)
        process.arguments = browser.driverArguments(port: port)
        if browser == .firefox {
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("gw-firefox-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
            try Data(Self.firefoxPreferences(port: port).utf8).write(to: profile.appendingPathComponent("user.js"))
            process.arguments = (process.arguments ?? []) + ["--profile", profile.path]
            self.profile = profile
        } else {
            profile = nil
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if browser == .firefox {
            marionette = try MarionetteConnection(port: port, timeout: timeout)
            return
        }
        marionette = nil
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if case .success(let response) = client.perform(ClientRequest(url: baseURL + "/status", totalTimeout: 2)),
               (try? JSONParser.parse(response.body))?["value"]?["ready"]?.boolValue == true {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw WebDriverError(message: "\(browser.driver) did not become ready within \(timeout) s")
    }

    deinit { stop() }

    /// Ends the driver (and with it any browser it still runs) and its display.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        display?.stop()
        client.shutdown()
        if let profile { try? FileManager.default.removeItem(at: profile) }
    }

    /// A fresh profile's preferences: Marionette on `port`, nothing that calls home or asks the user first.
    private static func firefoxPreferences(port: UInt16) -> String {
        [("marionette.port", "\(port)"), ("browser.shell.checkDefaultBrowser", "false"),
         ("datareporting.policy.dataSubmissionEnabled", "false"), ("app.update.disabledForTesting", "true"),
         ("browser.startup.homepage_override.mstone", "\"ignore\""), ("toolkit.telemetry.enabled", "false")]
            .map { "user_pref(\"\($0.0)\", \($0.1));\n" }.joined()
    }

    /// One WebDriver command: the JSON `value` of the answer, or the driver's error.
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil,
                 timeout: Double = 30) throws -> JSONValue {
        if let marionette { return try marionette.command(method, path, body) }
        let request = ClientRequest(method: method, url: baseURL + path,
                                    headers: [("Content-Type", "application/json")],
                                    body: body.map(JSONWriter.bytes) ?? (method == "POST" ? Array("{}".utf8) : []),
                                    totalTimeout: timeout)
        switch client.perform(request) {
        case .failure(let error): throw WebDriverError(message: "\(method) \(path): \(error)")
        case .success(let response):
            let answer = try? JSONParser.parse(response.body)
            guard (200..<300).contains(response.status), let value = answer?["value"] else {
                let detail = answer?["value"]?["message"]?.stringValue ?? String(decoding: response.body, as: UTF8.self)
                throw WebDriverError(message: "\(method) \(path): \(response.status) \(detail.prefix(500))")
            }
            return value
        }
    }
}

/// A WebDriver command that failed, with the driver's message.
public struct WebDriverError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A TCP port on 127.0.0.1 nobody listens on right now (bound to 0, read back, released).
enum FreePort {
    static func find() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw WebDriverError(message: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socket, raw, length) == 0 && getsockname(socket, raw, &length) == 0
            }
        }
        guard bound else { throw WebDriverError(message: "bind() failed") }
        return UInt16(bigEndian: address.sin_port)
    }
}
