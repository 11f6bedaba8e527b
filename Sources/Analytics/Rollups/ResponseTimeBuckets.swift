/// Response times are kept as counts per bucket, so a median or 90th percentile over any range is a sum of a few
/// rows rather than a sort of every ticket. A bucket is named by its lower bound in seconds: exact below 100 s, then
/// two significant digits (100, 110, … 990, 1000, 1100, …) — every reported time is within 10 % below the true one.
enum ResponseTimeBuckets {
    static func bucket(milliseconds: Int64) -> Int64 {
        var seconds = max(0, milliseconds / 1000)
        guard seconds >= 100 else { return seconds }
        var scale: Int64 = 1
        while seconds >= 100 { seconds /= 10; scale *= 10 }
        return seconds * scale
    }

    /// The nearest-rank percentile (`fraction` 0.5 = median, 0.9 = p90) of counts by bucket: the smallest bucket
    /// with at least `fraction` of the tickets at or below it. Nil without tickets.
    static func percentile(_ fraction: Double, of counts: [Int64: Int]) -> Int64? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (seconds, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if seen >= rank { return seconds }
        }
        return counts.keys.max()
    }
}
