import Foundation

/// In-process metrics rendered in the Prometheus text exposition format for `GET /metrics`.
/// Counters and histograms are updated from many threads (libmicrohttpd workers, the writer, workers), so one lock
/// guards them; updates are a dictionary lookup and an add, cheap next to a request. Gauges are read at scrape time
/// from callbacks (e.g. inbox depth comes from the store).
public final class MetricsRegistry: @unchecked Sendable {
    /// Latency buckets in seconds, from sub-millisecond (a verified webhook commit) up to slow outbound calls.
    public static let defaultBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct SeriesKey: Hashable {
        let name: String
        let labels: String
    }

    fileprivate struct Histogram {
        var buckets: [Double]
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        mutating func record(_ value: Double) {
            if let index = buckets.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    /// A histogram series' state, shared with the ``HistogramSeries`` that resolved it (guarded by `lock`). A series
    /// resolved but never observed is not rendered, as if it had not been named yet.
    fileprivate final class HistogramCell {
        var histogram: Histogram

        init(buckets: [Double]) {
            histogram = Histogram(buckets: buckets, counts: Array(repeating: 0, count: buckets.count))
        }
    }

    /// A counter series' value, shared with the ``CounterSeries`` that resolved it (guarded by `lock`). A series
    /// resolved but never counted is not rendered, as if it had not been named yet.
    fileprivate final class CounterCell {
        var value: Double?
    }

    /// A counter series looked up once — its name and labels rendered and hashed once — for a hot path: each
    /// increment is then a lock and an add. Counts exactly as ``MetricsRegistry/increment(_:_:by:help:)`` with the
    /// same name, labels and help text.
    public struct CounterSeries: @unchecked Sendable {
        fileprivate let registry: MetricsRegistry
        fileprivate let name: String
        fileprivate let help: String
        fileprivate let cell: CounterCell

        /// Adds `value` to the series.
        public func increment(by value: Double = 1) {
            registry.lock.lock()
            defer { registry.lock.unlock() }
            registry.add(value, to: cell, name: name, help: help)
        }
    }

    /// A histogram series looked up once, like ``CounterSeries``: each observation is then a lock and a bucket
    /// update. Records exactly as ``MetricsRegistry/observe(_:_:value:help:buckets:)`` with the same name, labels,
    /// help text and buckets.
    public struct HistogramSeries: @unchecked Sendable {
        fileprivate let registry: MetricsRegistry
        fileprivate let name: String
        fileprivate let help: String
        fileprivate let cell: HistogramCell

        /// Records one observation in the series.
        public func observe(_ value: Double) {
            registry.lock.lock()
            defer { registry.lock.unlock() }
            registry.record(value, in: cell, name: name, help: help)
        }
    }

    fileprivate let lock = NSLock()
    private var help: [String: (type: String, text: String)] = [:]
    private var counters: [SeriesKey: CounterCell] = [:]
    private var histograms: [SeriesKey: HistogramCell] = [:]
    private var gauges: [(name: String, text: String, read: @Sendable () -> [(labels: [(String, String)], value: Double)])] = []

    public init() {}

    /// Adds `value` to a counter series.
    public func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1, help text: String = "") {
        let key = SeriesKey(name: name, labels: Self.render(labels))
        lock.lock()
        defer { lock.unlock() }
        add(value, to: cell(key), name: name, help: text)
    }

    /// The counter series `name` with `labels`, for counting it often (see ``CounterSeries``); `help` is given with
    /// its increments.
    public func counterSeries(_ name: String, _ labels: [(String, String)] = [], help text: String = "")
        -> CounterSeries {
        let key = SeriesKey(name: name, labels: Self.render(labels))
        lock.lock()
        defer { lock.unlock() }
        return CounterSeries(registry: self, name: name, help: text, cell: cell(key))
    }

    /// The cell of the counter series `key`, made on first use. Call with `lock` held.
    private func cell(_ key: SeriesKey) -> CounterCell {
        if let cell = counters[key] { return cell }
        let cell = CounterCell()
        counters[key] = cell
        return cell
    }

    /// Adds `value` to a counter series; its metric's help is the text given first. Call with `lock` held.
    fileprivate func add(_ value: Double, to cell: CounterCell, name: String, help text: String) {
        if help[name] == nil { help[name] = ("counter", text) }
        cell.value = (cell.value ?? 0) + value
    }

    /// Records one observation in a histogram series.
    public func observe(_ name: String, _ labels: [(String, String)] = [], value: Double, help text: String = "",
                        buckets: [Double] = MetricsRegistry.defaultBuckets) {
        let key = SeriesKey(name: name, labels: Self.render(labels))
        lock.lock()
        defer { lock.unlock() }
        record(value, in: histogramCell(key, buckets), name: name, help: text)
    }

    /// The histogram series `name` with `labels`, for observing it often (see ``HistogramSeries``); `help` and
    /// `buckets` are given with its observations.
    public func histogramSeries(_ name: String, _ labels: [(String, String)] = [], help text: String = "",
                                buckets: [Double] = MetricsRegistry.defaultBuckets) -> HistogramSeries {
        let key = SeriesKey(name: name, labels: Self.render(labels))
        lock.lock()
        defer { lock.unlock() }
        return HistogramSeries(registry: self, name: name, help: text, cell: histogramCell(key, buckets))
    }

    /// The cell of the histogram series `key`, made with `buckets` on first use. Call with `lock` held.
    private func histogramCell(_ key: SeriesKey, _ buckets: [Double]) -> HistogramCell {
        if let cell = histograms[key] { return cell }
        let cell = HistogramCell(buckets: buckets)
        histograms[key] = cell
        return cell
    }

    /// Records one observation; its metric's help is the text given first. Call with `lock` held.
    fileprivate func record(_ value: Double, in cell: HistogramCell, name: String, help text: String) {
        if help[name] == nil { help[name] = ("histogram", text) }
        cell.histogram.record(value)
    }

    /// Registers a gauge whose series are read when metrics are scraped.
    public func registerGauge(_ name: String, help text: String,
                              read: @escaping @Sendable () -> [(labels: [(String, String)], value: Double)]) {
        lock.lock()
        defer { lock.unlock() }
        gauges.append((name, text, read))
    }

    /// The current value of a counter series (tests and the benchmark read it).
    public func counter(_ name: String, _ labels: [(String, String)] = []) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return counters[SeriesKey(name: name, labels: Self.render(labels))]?.value ?? 0
    }

    /// Prometheus text format 0.0.4.
    public func render() -> String {
        lock.lock()
        let counterSnapshot = counters.compactMapValues(\.value)
        let histogramSnapshot = histograms.compactMapValues { $0.histogram.count > 0 ? $0.histogram : nil }
        let helpSnapshot = help
        let gaugeSnapshot = gauges
        lock.unlock()

        var out = ""
        var described = Set<String>()
        func header(_ name: String, _ type: String, _ text: String) {
            guard described.insert(name).inserted else { return }
            out += "# HELP \(name) \(text.isEmpty ? name : text)\n# TYPE \(name) \(type)\n"
        }
        for key in counterSnapshot.keys.sorted(by: Self.order) {
            header(key.name, "counter", helpSnapshot[key.name]?.text ?? "")
            out += "\(key.name)\(key.labels) \(Self.format(counterSnapshot[key]!))\n"
        }
        for key in histogramSnapshot.keys.sorted(by: Self.order) {
            let histogram = histogramSnapshot[key]!
            header(key.name, "histogram", helpSnapshot[key.name]?.text ?? "")
            var cumulative: UInt64 = 0
            for (bound, count) in zip(histogram.buckets, histogram.counts) {
                cumulative += count
                out += "\(key.name)_bucket\(Self.appendLabel(key.labels, "le", Self.format(bound))) \(cumulative)\n"
            }
            out += "\(key.name)_bucket\(Self.appendLabel(key.labels, "le", "+Inf")) \(histogram.count)\n"
            out += "\(key.name)_sum\(key.labels) \(Self.format(histogram.sum))\n"
            out += "\(key.name)_count\(key.labels) \(histogram.count)\n"
        }
        for gauge in gaugeSnapshot {
            header(gauge.name, "gauge", gauge.text)
            for series in gauge.read() {
                out += "\(gauge.name)\(Self.render(series.labels)) \(Self.format(series.value))\n"
            }
        }
        return out
    }

    private static func order(_ a: SeriesKey, _ b: SeriesKey) -> Bool {
        a.name == b.name ? a.labels < b.labels : a.name < b.name
    }

    private static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return "{\(body)}"
    }

    private static func appendLabel(_ rendered: String, _ name: String, _ value: String) -> String {
        rendered.isEmpty ? "{\(name)=\"\(value)\"}" : String(rendered.dropLast()) + ",\(name)=\"\(value)\"}"
    }

    private static func escape(_ value: String) -> String {
        // Label values are almost always plain; skip three Foundation string scans for them (this runs on every
        // counter update, e.g. once per outbound delivery).
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) else {
            return value
        }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
