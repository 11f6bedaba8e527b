/// Sums over a set of tickets: the counters behind volume, reopen rate, SLA shares and CSAT.
struct TicketTotals: Sendable, Equatable {
    var opened = 0
    var reopened = 0
    var frtCount = 0
    var frtWithin = 0
    var artCount = 0
    var artWithin = 0
    var surveys = 0
    var responses = 0
    var ratingSum = 0
    /// Answers with rating 1…5 (index 0 = rating 1).
    var ratings = [0, 0, 0, 0, 0]

    /// The stored columns, in `columns` order.
    static let columns = ["opened", "reopened", "frt_count", "frt_within", "art_count", "art_within", "surveys",
                          "responses", "rating_sum", "r1", "r2", "r3", "r4", "r5"]

    var values: [Int] {
        [opened, reopened, frtCount, frtWithin, artCount, artWithin, surveys, responses, ratingSum] + ratings
    }

    init() {}

    init(values: [Int]) {
        opened = values[0]; reopened = values[1]; frtCount = values[2]; frtWithin = values[3]
        artCount = values[4]; artWithin = values[5]; surveys = values[6]; responses = values[7]
        ratingSum = values[8]; ratings = Array(values[9..<14])
    }

    /// One ticket's contribution, times `sign` (+1 to add it, -1 to take it back).
    init(_ fact: TicketFact, sign: Int) {
        opened = sign
        reopened = fact.reopened ? sign : 0
        if let frt = fact.frt { frtCount = sign; frtWithin = frt.withinSLA ? sign : 0 }
        if let art = fact.art { artCount = sign; artWithin = art.withinSLA ? sign : 0 }
        surveys = fact.surveys * sign
        ratings = fact.ratings.map { $0 * sign }
        responses = fact.ratings.reduce(0, +) * sign
        ratingSum = fact.ratings.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element } * sign
    }

    /// Field by field: a batch adds each ticket to a few dozen rollup rows, so no arrays are built per addition.
    static func += (a: inout TicketTotals, b: TicketTotals) {
        a.opened += b.opened; a.reopened += b.reopened; a.frtCount += b.frtCount; a.frtWithin += b.frtWithin
        a.artCount += b.artCount; a.artWithin += b.artWithin; a.surveys += b.surveys; a.responses += b.responses
        a.ratingSum += b.ratingSum
        for index in a.ratings.indices { a.ratings[index] += b.ratings[index] }
    }

    var isZero: Bool { self == TicketTotals() }
}
