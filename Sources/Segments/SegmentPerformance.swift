import Foundation
import GatewayKit
import Storage

/// What a segment's Performance tab shows, over its members as of the last evaluation — each figure one set-based
/// query over the membership, never one per member:
/// - size growth: the member count after each evaluation, oldest first, within the range (none yet: an empty list);
/// - the members by `source` (no source: "Other"), by `domicile` (none: "Unknown"), by age from `date_of_birth` on
///   today in the organisation's time zone (`<21`, `21-30`, `31-40`, `41-50`, `>50` for 51 and older, and
///   "Unknown" without a date of birth or with one after today), and by `sex` (`Male`, `Female`, "Unknown" for
///   anything else), each `{"name", "count", "percent"}` of the members (empty when there are none);
/// - reachability by channel, as the segment's detail counts it (``SegmentReachability``).
public enum SegmentPerformance {
    /// How far back the size growth reaches from now.
    public enum Range: String, Sendable, CaseIterable {
        case all
        case lastSevenDays = "7d"
        case lastThirtyDays = "30d"

        /// Unix ms of the earliest evaluation shown at `now`.
        func since(_ now: Int64) -> Int64 {
            switch self {
            case .all: return 0
            case .lastSevenDays: return now - 7 * 86_400_000
            case .lastThirtyDays: return now - 30 * 86_400_000
            }
        }
    }

    /// The age buckets, youngest first: each holds the ages below `below` (the last one every older age).
    static let ageBuckets: [(name: String, below: Int?)] = [("<21", 21), ("21-30", 31), ("31-40", 41), ("41-50", 51),
                                                            (">50", nil)]
    static let unknown = "Unknown"

    static func report(_ segment: SegmentRecord, range: Range, now: Int64, timeZone: TimeZone,
                       in c: any DatabaseConnection) throws -> JSONValue {
        let id = segment.id
        let members = try c.queryOne("""
            SELECT count(*) AS n FROM segment_members m JOIN customer_profiles p ON p.customer_id = m.customer_id
            WHERE m.segment_id = ?
            """, [.integer(id)])?.int64("n") ?? 0
        let reachable = try SegmentReachability.counts(of: id, in: c)
        func share(_ count: Int64) -> JSONValue {
            ["count": .integer(count), "percent": SegmentReachability.percent(count, of: members)]
        }
        let today = CalendarDate(unixMillis: now, in: timeZone)
        return [
            "segment_id": .integer(id),
            "range": .string(range.rawValue),
            "member_count": .integer(members),
            "evaluated_at": segment.evaluatedAt.map { .string(Timestamps.rfc3339($0)) } ?? .null,
            "size_growth": .array(try c.query("""
                SELECT at, member_count FROM segment_evaluations
                WHERE segment_id = ? AND outcome = 'evaluated' AND at >= ? ORDER BY at, id
                """, [.integer(id), .integer(range.since(now))]).map { row in
                ["at": .string(Timestamps.rfc3339(row.int64("at") ?? 0)),
                 "member_count": .integer(row.int64("member_count") ?? 0)]
            }),
            "source": try distribution(of: id, field: "source", bucket: "coalesce(v.value, ?)", ["Other"], in: c),
            "domicile": try distribution(of: id, field: "domicile", bucket: "coalesce(v.value, ?)", [.text(unknown)],
                                         in: c),
            "age": try distribution(of: id, field: "date_of_birth", bucket: ageBucket, ageParameters(on: today),
                                    order: ageBuckets.map(\.name) + [unknown], in: c),
            "gender": try distribution(of: id, field: "sex", bucket: "CASE WHEN v.value IN (?, ?) THEN v.value ELSE ? END",
                                       ["Male", "Female", .text(unknown)], order: ["Male", "Female", unknown], in: c),
            "reachability": ["whatsapp": share(reachable.whatsapp), "email": share(reachable.email)],
        ]
    }

    /// The members of segment `id` by `bucket`, an SQL expression (with `parameters`) over `v.value`, the member's
    /// value of contact field `field` (NULL when they have none): `[{"name", "count", "percent"}]`, in `order` with
    /// every bucket named there, else most members first. Empty when the segment has no members.
    private static func distribution(of id: Int64, field: String, bucket: String, _ parameters: [SQLValue],
                                     order: [String]? = nil, in c: any DatabaseConnection) throws -> JSONValue {
        let rows = try c.query("""
            SELECT \(bucket) AS name, count(*) AS n
            FROM segment_members m JOIN customer_profiles p ON p.customer_id = m.customer_id
            LEFT JOIN customer_custom_values v ON v.customer_id = m.customer_id AND v.field_key = ?
            WHERE m.segment_id = ? GROUP BY name ORDER BY n DESC, name
            """, parameters + [.text(field), .integer(id)])
        var counts = rows.map { (name: $0.string("name") ?? unknown, count: $0.int64("n") ?? 0) }
        let total = counts.reduce(0) { $0 + $1.count }
        guard total > 0 else { return [] }
        if let order {
            let byName = Dictionary(counts.map { ($0.name, $0.count) }, uniquingKeysWith: +)
            counts = order.map { (name: $0, count: byName[$0] ?? 0) }
        }
        return .array(counts.map { bucket in
            ["name": .string(bucket.name), "count": .integer(bucket.count),
             "percent": SegmentReachability.percent(bucket.count, of: total)]
        })
    }

    /// The age bucket of a date of birth `v.value` (`YYYY-MM-DD`), by comparing it with the latest birthday of each
    /// bucket's lower age on today (``ageParameters(on:)``): "Unknown" when missing or after today.
    private static let ageBucket = "CASE WHEN v.value IS NULL OR v.value > ? THEN ?"
        + String(repeating: " WHEN v.value > ? THEN ?", count: ageBuckets.count - 1) + " ELSE ? END"

    /// For ``ageBucket``: today and "Unknown", then for each bucket with an upper age the latest birthday of
    /// someone that old today (`today` that many years back; the text compares as a date even on 29 February) and the
    /// bucket's name, then the oldest bucket's name.
    private static func ageParameters(on today: CalendarDate) -> [SQLValue] {
        let monthAndDay = today.description.dropFirst(4)
        var parameters: [SQLValue] = [.text(today.description), .text(unknown)]
        for bucket in ageBuckets {
            guard let below = bucket.below else { parameters.append(.text(bucket.name)); continue }
            parameters += [.text(String(format: "%04d", today.year - below) + monthAndDay), .text(bucket.name)]
        }
        return parameters
    }
}
