/// Counter increments gathered while a transaction runs and added to the ``MetricsRegistry`` only after it commits,
/// so a change that is rolled back (a poison item, a refused request) is never counted.
public struct MetricCounts: Sendable, Equatable {
    private struct Series: Hashable, Sendable {
        let name: String
        /// Label names and values, alternating, in the order given.
        let labels: [String]
    }

    private var values: [Series: Double] = [:]
    private var help: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { values.isEmpty }

    /// Adds `value` to a counter series (created at 0 when `value` is 0, so the series shows up on `/metrics`).
    public mutating func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1,
                                   help text: String = "") {
        values[Series(name: name, labels: labels.flatMap { [$0.0, $0.1] }), default: 0] += value
        if help[name] == nil { help[name] = text }
    }

    public mutating func merge(_ other: MetricCounts) {
        values.merge(other.values, uniquingKeysWith: +)
        help.merge(other.help) { mine, _ in mine }
    }

    /// The gathered value of one series (tests and the benchmark read it).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        values[Series(name: name, labels: labels.flatMap { [$0.0, $0.1] })] ?? 0
    }

    /// Adds everything gathered to `registry`.
    public func record(in registry: MetricsRegistry) {
        for (series, value) in values {
            let labels = stride(from: 0, to: series.labels.count - 1, by: 2).map {
                (series.labels[$0], series.labels[$0 + 1])
            }
            registry.increment(series.name, labels, by: value, help: help[series.name] ?? "")
        }
    }
}
