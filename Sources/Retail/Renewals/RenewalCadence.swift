import GatewayKit
/// The reminder days of a renewal cycle (offsets from the expiry date, `[-14, -7, -1, 3]`) and which of them a day
/// calls for, with the catch-up rule: each reminder day owns the days up to the next one (the last owns as many days
/// as the gap before it, at least one), so a run that missed a day — the gateway was down on D-7 — still sends the
/// D-7 reminder on D-5, but on D-1 only the D-1 one: earlier missed days are stale and never sent in a burst.
public struct RenewalCadence: Sendable, Equatable {
    /// Ascending, distinct.
    public let offsets: [Int]

    /// `offsets` in any order (duplicates dropped); at least one.
    public init(offsets: [Int]) {
        precondition(!offsets.isEmpty, "a renewal cadence needs a reminder day")
        self.offsets = Array(Set(offsets)).sorted()
    }

    /// The last day (relative to the expiry date) on which a reminder is still sent; after it the cycle lapses.
    public var lastRelevantOffset: Int {
        let last = offsets[offsets.count - 1]
        let gap = offsets.count > 1 ? last - offsets[offsets.count - 2] : 1
        return last + gap - 1
    }

    /// What `today` calls for in a cycle expiring on `expiry`.
    public func plan(expiry: CalendarDate, today: CalendarDate) -> Plan {
        let day = today.daysSinceEpoch - expiry.daysSinceEpoch
        let due = offsets.filter { $0 <= day }
        let current = day <= lastRelevantOffset ? due.last : nil
        return Plan(due: due, current: current)
    }

    /// The reminder days that have come for one cycle on one day.
    public struct Plan: Sendable, Equatable {
        /// Every reminder day on or before today, ascending.
        public let due: [Int]
        /// The one to send today: the latest that has come, unless the cycle's last window has passed. The others
        /// in ``due`` are stale when they were not handled on their own days.
        public let current: Int?

        public init(due: [Int], current: Int?) {
            self.due = due
            self.current = current
        }
    }
}
