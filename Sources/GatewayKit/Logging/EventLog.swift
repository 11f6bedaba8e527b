import Foundation

/// Structured log lines (logfmt) on standard error. Callers pass only values that are safe to print: secrets, tokens
/// and message bodies are never handed to the log.
public final class EventLog: @unchecked Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug = 0, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    private let minimum: Level
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void

    /// - Parameter write: where finished lines go (standard error by default; tests capture them).
    public init(minimum: Level = .info, write: @escaping @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }) {
        self.minimum = minimum
        self.write = write
    }

    public func debug(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, event, fields) }
    public func info(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, event, fields) }
    public func warning(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warning, event, fields) }
    public func error(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, event, fields) }

    private func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= minimum else { return }
        var line = "ts=\(Self.timestamp()) level=\(level.name) event=\(event)"
        var written: Set<String> = ["ts", "level", "event"]
        for (key, value) in fields {
            // Each key once per line, so logfmt readers keep every value: a key already written (one of the line's
            // own, or repeated) is written as `field.<key>`.
            let unique = written.insert(key).inserted ? key : "field.\(key)"
            line += " \(unique)=\(Self.quote(value))"
        }
        line += "\n"
        lock.lock()
        write(line)
        lock.unlock()
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))  // UTC, e.g. ...T22:09:28.475Z
    }

    private static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
