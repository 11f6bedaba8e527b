/// Counter increments gathered while a transaction runs and added to the ``MetricsRegistry`` only after it commits,
/// so a change that is rolled back (a poison item, a refused request) is never counted.
///
/// A short list rather than a dictionary: one inbound item touches about ten series, and hashing their names and
/// labels (twice: per item, then per pass) was a visible share of the inbound applier's CPU; comparing names that
/// are mostly the same string literals is far cheaper.
public struct MetricCounts: Sendable, Equatable {
    private struct Series: Sendable {
        let name: String
        let labels: [(String, String)]
        var value: Double
        /// The help text given with the series' first increment.
        let help: String

        func matches(_ name: String, _ labels: [(String, String)]) -> Bool {
            self.name == name && self.labels.count == labels.count
                && zip(self.labels, labels).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    /// In order of first increment.
    private var series: [Series] = []

    public init() {}

    public var isEmpty: Bool { series.isEmpty }

    /// Adds `value` to a counter series (created at 0 when `value` is 0, so the series shows up on `/metrics`).
    public mutating func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1,
                                   help text: String = "") {
        if let index = series.firstIndex(where: { $0.matches(name, labels) }) {
            series[index].value += value
        } else {
            series.append(Series(name: name, labels: labels, value: value, help: text))
        }
    }

    public mutating func merge(_ other: MetricCounts) {
        for entry in other.series {
            increment(entry.name, entry.labels, by: entry.value, help: entry.help)
        }
    }

    /// The gathered value of one series (tests and the benchmark read it).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        series.first { $0.matches(name, labels) }?.value ?? 0
    }

    /// Adds everything gathered to `registry`; a metric's help text is the one given first for any of its series.
    public func record(in registry: MetricsRegistry) {
        for entry in series {
            let help = series.first { $0.name == entry.name }?.help ?? entry.help
            registry.increment(entry.name, entry.labels, by: entry.value, help: help)
        }
    }

    /// The same series with the same values and help texts, in any order.
    public static func == (lhs: MetricCounts, rhs: MetricCounts) -> Bool {
        lhs.series.count == rhs.series.count && lhs.series.allSatisfy { entry in
            rhs.series.contains { $0.matches(entry.name, entry.labels) && $0.value == entry.value }
                && rhs.series.first { $0.name == entry.name }?.help == lhs.series.first { $0.name == entry.name }?.help
        }
    }
}
