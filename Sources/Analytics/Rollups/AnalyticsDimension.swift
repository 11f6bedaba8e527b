/// What tickets can be grouped by. Each ticket has one value per dimension ('' = none: no category yet, unassigned,
/// linked to no outlet), except `keyword`: one per classifier keyword that matched its first message, none without.
public enum AnalyticsDimension: String, Sendable, CaseIterable {
    /// Every ticket together (the totals).
    case all
    case category
    case queue
    /// The assignee.
    case agent
    /// `fid/oid` of the linked outlet.
    case outlet
    case channel
    /// `support` or `lead`.
    case kind
    case keyword

    func values(of fact: TicketFact) -> [String] {
        switch self {
        case .all: return [""]
        case .category: return [fact.category]
        case .queue: return [fact.queue]
        case .agent: return [fact.agent]
        case .outlet: return [fact.outlet]
        case .channel: return [fact.channel]
        case .kind: return [fact.kind]
        case .keyword: return fact.keywords
        }
    }
}

/// Age buckets of the backlog (open and pending tickets, by time since they opened).
enum BacklogAge: String, CaseIterable {
    case underOneHour = "under_1h"
    case oneToFourHours = "1h_to_4h"
    case fourToTwentyFourHours = "4h_to_24h"
    case oneToThreeDays = "1d_to_3d"
    case overThreeDays = "over_3d"

    /// From, and until (nil = for ever), in milliseconds since opening.
    var span: (from: Int64, until: Int64?) {
        let hour: Int64 = 3_600_000
        switch self {
        case .underOneHour: return (0, hour)
        case .oneToFourHours: return (hour, 4 * hour)
        case .fourToTwentyFourHours: return (4 * hour, 24 * hour)
        case .oneToThreeDays: return (24 * hour, 72 * hour)
        case .overThreeDays: return (72 * hour, nil)
        }
    }

    static func of(ageMilliseconds age: Int64) -> BacklogAge {
        allCases.first { age >= $0.span.from && ($0.span.until.map { age < $0 } ?? true) } ?? .overThreeDays
    }
}
