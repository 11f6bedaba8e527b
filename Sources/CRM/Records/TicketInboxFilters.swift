import GatewayKit
import Storage

/// Where a ticket's running SLA clock stands, as the inbox filters on it: the first-response clock until the first
/// reply, then the resolution clock; only open and pending tickets have a running clock.
public enum TicketSLAState: String, Sendable, CaseIterable {
    /// The scheduler recorded a breach, or the running clock has passed its due time (the scheduler runs on an
    /// interval, so a clock can be overdue a moment before it is recorded).
    case breached
    /// A running clock due within ``TicketSLAState/dueSoonWindow`` (a fresh ticket's 5-minute first response is).
    case dueSoon = "due_soon"
    /// Everything else: a clock with time left, or no running clock.
    case ok

    /// How close a due time counts as "due soon" (the console's countdown badge turns amber at the same point).
    public static let dueSoonWindow: Int64 = 5 * 60 * 1000

    // Every part is made true or false (never NULL), so NOT of it is exact for bot tickets without clocks too.
    private static let running = "coalesce(status IN ('open', 'pending'), FALSE)"
    private static let due = "(CASE WHEN first_response_at IS NULL THEN first_response_due_at ELSE resolution_due_at END)"
    private static let breachedSQL = "(coalesce(sla_status = 'breached', FALSE) OR (\(running) AND coalesce(\(due) < ?, FALSE)))"

    /// The condition on `tickets` columns for this state at `now` (Unix milliseconds).
    func condition(now: Int64) -> SQLCondition {
        switch self {
        case .breached:
            return SQLCondition(sql: Self.breachedSQL, parameters: [.integer(now)])
        case .dueSoon:
            return SQLCondition(sql: "NOT \(Self.breachedSQL) AND \(Self.running) AND coalesce(\(Self.due) <= ?, FALSE)",
                                parameters: [.integer(now), .integer(now + Self.dueSoonWindow)])
        case .ok:
            return SQLCondition(sql: "NOT \(Self.breachedSQL) AND NOT (\(Self.running) AND coalesce(\(Self.due) <= ?, FALSE))",
                                parameters: [.integer(now), .integer(now + Self.dueSoonWindow)])
        }
    }
}

extension RecordQuery {
    /// The inbox's ticket filters beyond equality, added to ``within``: `sla` (`breached` | `due_soon` | `ok`, judged at
    /// `now`), `language` (a language tag such as `en` or `ms`) and `unassigned` (`true`: no assignee; `false`: one).
    /// Every bad value is named in a single 400; `unassigned=true` together with an `assignee` is one of them.
    public mutating func filterInbox(_ parameters: [String: String], now: Int64) -> GatewayError? {
        var errors: [FieldError] = []
        var conditions: [SQLCondition] = within.map { [$0] } ?? []
        if let value = parameters["sla"] {
            if let state = TicketSLAState(rawValue: value) {
                conditions.append(state.condition(now: now))
            } else {
                let allowed = TicketSLAState.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(field: "sla", message: "must be one of \(allowed)"))
            }
        }
        if let value = parameters["language"] {
            if Self.isLanguageTag(value) {
                conditions.append(SQLCondition(sql: "language = ?", parameters: [.text(value)]))
            } else {
                errors.append(FieldError(field: "language", message: "must be a language tag such as en or ms"))
            }
        }
        switch parameters["unassigned"] {
        case nil: break
        case "true" where filters["assignee"] != nil:
            errors.append(FieldError(field: "unassigned", message: "cannot be true together with assignee"))
        case "true": conditions.append(SQLCondition(sql: "assignee IS NULL", parameters: []))
        case "false": conditions.append(SQLCondition(sql: "assignee IS NOT NULL", parameters: []))
        default: errors.append(FieldError(field: "unassigned", message: "must be true or false"))
        }
        guard errors.isEmpty else { return .validation(errors) }
        within = conditions.joined()
        return nil
    }

    /// Two or three lower-case letters, optionally a region (`en`, `ms`, `pt-BR`).
    private static func isLanguageTag(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (2...3).contains(parts[0].count),
              parts[0].allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.count == 1 || (parts[1].count == 2 && parts[1].allSatisfy { $0.isASCII && $0.isLetter })
    }
}
