import Foundation
import GatewayKit
import Storage

/// Keeps renewal cycles in step with the POS, inside the transaction writing each outlet change (import, daily pull,
/// push — see ``OutletChangeObserver``):
/// - a **later expiry date** renews the cycle of the old date while it waits for a renewal (open, lapsed, or
///   answered by the merchant): `renewed`, with whether a reminder had been sent and whether it came after the
///   expiry day (the recovery figures); reminders still waiting for the end of quiet hours are withdrawn. The next
///   daily run opens the cycle of the new date when it is within the horizon.
/// - an **earlier expiry date** (a correction) stops the old cycle (`stopped`, reason `superseded`).
/// - **closed / suspended** stops the current cycle while it waits for a renewal (reason = the status); **active /
///   expired** again reopens a cycle stopped that way.
/// New outlets need nothing here: the next run computes their cycle.
public struct RenewalOutletObserver: OutletChangeObserver {
    public init() {}

    public func outletChanged(_ change: OutletChange, in connection: any DatabaseConnection) throws {
        guard let before = change.before else { return }
        let after = change.after
        let now = after.updatedAt
        if change.expiryDateChanged,
           let cycle = try RenewalTable.cycle(oid: after.oid, due: before.expiryDate, in: connection),
           Self.awaitingRenewal.contains(cycle.status) {
            if after.expiryDate > before.expiryDate {
                try RenewalWithdrawal.withdraw(renewal: cycle.id, reason: "outlet renewed", at: now, in: connection)
                let zone = TimeZone.named(after.timeZone)
                try RenewalTable.renew(cycle.id, newExpiry: after.expiryDate,
                                       afterExpiry: CalendarDate(unixMillis: now, in: zone) > before.expiryDate,
                                       now: now, in: connection)
            } else {
                try stop(cycle.id, reason: "superseded", at: now, in: connection)
            }
        }
        guard change.statusChanged,
              let cycle = try RenewalTable.cycle(oid: after.oid, due: after.expiryDate, in: connection) else { return }
        switch after.status {
        case .closed, .suspended:
            guard Self.awaitingRenewal.contains(cycle.status) else { return }
            try stop(cycle.id, reason: after.status.rawValue, at: now, in: connection)
        case .active, .expired:
            guard cycle.status == .stopped, cycle.reason == OutletStatus.closed.rawValue
                    || cycle.reason == OutletStatus.suspended.rawValue else { return }
            try RenewalTable.move(cycle.id, from: [.stopped], to: .open, reason: nil, now: now, in: connection)
        }
    }

    /// Cycles a POS change still acts on: nothing final has happened to them.
    static let awaitingRenewal: [RenewalStatus] = [.open, .lapsed, .customerReplied]

    private func stop(_ id: Int64, reason: String, at: Int64, in connection: any DatabaseConnection) throws {
        try RenewalWithdrawal.withdraw(renewal: id, reason: "outlet \(reason)", at: at, in: connection)
        try RenewalTable.move(id, from: Self.awaitingRenewal, to: .stopped, reason: reason, now: at, in: connection)
    }
}

extension OutletChangeObserver where Self == IgnoredOutletChanges {
    /// The observer every writer of outlets uses — `gateway serve` (pulls, pushes) and `gateway pos import` alike —
    /// so none of them can forget the renewal bookkeeping: ``RenewalOutletObserver``, whether or not the daily
    /// reminder job is enabled (a renewal is recorded as such either way).
    public static var configured: any OutletChangeObserver {
        RenewalOutletObserver()
    }
}
