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
            guard self.labels.count == labels.count, self.name == name else { return false }
            for index in labels.indices where self.labels[index] != labels[index] { return false }
            return true
        }
    }

    /// In order of first increment.
    private var series: [Series] = []
    /// Where the next increment's series is looked for first: just after the one the last increment found. The steps
    /// of an inbound item increment their series in the same order for every item, so merging one item's counts into
    /// a pass's finds each series at once instead of comparing it with every series before it.
    private var expectedIndex = 0

    public init() {}

    public var isEmpty: Bool { series.isEmpty }

    /// Adds `value` to a counter series (created at 0 when `value` is 0, so the series shows up on `/metrics`).
    public mutating func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1,
                                   help text: String = "") {
        if let index = index(of: name, labels) {
            series[index].value += value
            expectedIndex = index + 1
        } else {
            // Room at once for what one inbound item's steps count (about ten series), instead of growing 1, 2, 4, 8.
            if series.isEmpty { series.reserveCapacity(16) }
            series.append(Series(name: name, labels: labels, value: value, help: text))
            expectedIndex = series.count
        }
    }

    private func index(of name: String, _ labels: [(String, String)]) -> Int? {
        if expectedIndex < series.count, series[expectedIndex].matches(name, labels) { return expectedIndex }
        return series.firstIndex { $0.matches(name, labels) }
    }

    public mutating func merge(_ other: MetricCounts) {
        // Into nothing gathered yet (an item's counts into its own, a pass's first item): the same series as they are.
        guard !series.isEmpty else {
            series = other.series
            expectedIndex = 0
            return
        }
        expectedIndex = 0
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
