import Foundation
import XCTest

/// The real `gateway` executable (built next to the test bundle) run as a child process, for what only a process can
/// show: command-line handling, signals, exit codes and surviving `kill -9`.
package final class GatewayProcess: @unchecked Sendable {
    package static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("gateway")
    }

    package let process = Process()
    private let stderrPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let lock = NSLock()
    private var stderrText = ""

    package init(arguments: [String], environment: [String: String]) throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GATEWAY_") && !$0.key.hasPrefix("WHATSAPP_") }
        env["TICKET_CLASSIFICATION_FILE"] = TestGateway.repositoryFile("Config/ticket-classification.json")
        env.merge(environment) { _, new in new }
        process.environment = env
        // Run from the repository root, as `gateway serve` is run by hand: the default ./Templates/whatsapp resolves.
        process.currentDirectoryURL = URL(fileURLWithPath: TestGateway.templatesDirectory)
            .deletingLastPathComponent().deletingLastPathComponent()
        process.standardError = stderrPipe
        process.standardOutput = stdoutPipe
        try process.run()
        // A plain thread with blocking reads, not `readabilityHandler`: tearing down the libdispatch read source behind
        // it can corrupt libdispatch's epoll bookkeeping on Linux and crash its manager thread
        // (swift-corelibs-libdispatch#949), which killed a whole test run once.
        let handle = stderrPipe.fileHandleForReading
        Thread.detachNewThread { [weak self] in
            while true {
                let data = handle.availableData
                guard !data.isEmpty, let self else { return }
                self.lock.lock()
                self.stderrText += String(decoding: data, as: UTF8.self)
                self.lock.unlock()
            }
        }
    }

    /// Runs to completion and returns (exit code, stdout, stderr).
    package static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let child = try GatewayProcess(arguments: arguments, environment: environment)
        child.process.waitUntilExit()
        let out = String(decoding: child.stdoutPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        Thread.sleep(forTimeInterval: 0.05)
        return (child.process.terminationStatus, out, child.stderr)
    }

    package var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    /// Waits for the `gateway_started` log line and returns the bound port.
    package func waitForPort(timeout: TimeInterval = 20) -> UInt16? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains("event=gateway_started") }),
               let portField = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }) {
                return UInt16(portField.dropFirst(5))
            }
            if !process.isRunning { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    package func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    package func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
