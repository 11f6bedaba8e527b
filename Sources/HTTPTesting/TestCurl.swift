import Foundation

/// The `curl` command line against a test server, for what an in-process client does not show: the certificate a TLS
/// handshake saw (from `curl -v`), and handshakes limited to old protocol versions.
package enum TestCurl {
    package static let curlPath = "/usr/bin/curl"

    /// What one curl run produced.
    package struct Result: Sendable {
        /// curl's exit code: 0 for a completed transfer (any HTTP status), 35 for a failed TLS handshake, 52 for
        /// a connection closed without an answer, and so on.
        package let exitCode: Int32
        /// The final response, when one was read.
        package let response: TestResponse?
        /// curl's `-v` trace and error messages.
        package let trace: String

        /// The common name of the certificate the server presented, from the trace (`subject: CN=...`).
        package var serverCommonName: String? {
            for line in trace.split(separator: "\n") {
                guard let range = line.range(of: "subject: ") else { continue }
                let subject = line[range.upperBound...]
                guard let cn = subject.range(of: "CN=") else { continue }
                return String(subject[cn.upperBound...].prefix { $0 != "," && $0 != "/" && $0 != ";" })
                    .trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
    }

    /// A curl run in the background, for requests that are to be in flight while the test does something else.
    package final class Running: @unchecked Sendable {
        private let process: Process
        private let output: Pipe
        private let trace: Pipe
        private var outputData = Data()
        private var traceData = Data()
        private let readers = DispatchGroup()

        fileprivate init(arguments: [String]) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: TestCurl.curlPath)
            process.arguments = arguments
            output = Pipe()
            trace = Pipe()
            process.standardOutput = output
            process.standardError = trace
            try process.run()
            // Both pipes are drained while curl runs, so a long trace can never block it.
            let outputHandle = output.fileHandleForReading, traceHandle = trace.fileHandleForReading
            DispatchQueue.global().async(group: readers) { self.outputData = outputHandle.readDataToEndOfFile() }
            DispatchQueue.global().async(group: readers) { self.traceData = traceHandle.readDataToEndOfFile() }
        }

        /// Waits for curl to exit and returns what it got.
        package func finish() -> Result {
            process.waitUntilExit()
            readers.wait()
            return Result(exitCode: process.terminationStatus, response: TestResponse.parse([UInt8](outputData)),
                          trace: String(decoding: traceData, as: UTF8.self))
        }
    }

    /// `GET url` with the response head included in the output (`-i`) and the verbose trace; `arguments` come before
    /// the URL (`--cacert`, `--tls-max`, ...).
    package static func start(_ url: String, _ arguments: [String] = [], timeout: TimeInterval = 15) throws -> Running {
        try Running(arguments: ["-sS", "-v", "-i", "--max-time", String(Int(timeout))] + arguments + [url])
    }

    /// The same, waiting for the result.
    package static func get(_ url: String, _ arguments: [String] = [], timeout: TimeInterval = 15) throws -> Result {
        try start(url, arguments, timeout: timeout).finish()
    }
}
