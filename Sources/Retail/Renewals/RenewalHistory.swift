import GatewayKit
import Storage

/// What one run needs to know about earlier reminders, loaded with a few set-based queries at its start and kept up
/// to date as it sends: which (renewal, day, phone) were handled already, how many rounds each renewal had, when
/// each phone was messaged lately, and who opted out (and in which language).
struct RenewalHistory {
    private struct AttemptKey: Hashable {
        let renewalID: Int64
        let offset: Int
        let phone: String
    }

    private var handled: Set<AttemptKey> = []
    /// Per renewal, the reminder days on which a message went (or waits to go).
    private var rounds: [Int64: Set<Int>] = [:]
    /// Per phone, the send times of its recent renewal messages (also future ones waiting for quiet hours to end).
    private var messagedAt: [String: [Int64]] = [:]
    private var optedOut: Set<String> = []
    private var languages: [String: String] = [:]

    /// The attempts of cycles due within `from...through`, messages sent to phones since `since`, and opt-outs.
    static func load(from: CalendarDate, through: CalendarDate, messagedSince since: Int64,
                     in connection: any DatabaseConnection) throws -> RenewalHistory {
        var history = RenewalHistory()
        for row in try connection.query("""
            SELECT a.renewal_id, a.offset_days, a.phone, a.result FROM renewal_attempts a
            JOIN renewals r ON r.id = a.renewal_id WHERE r.due_date BETWEEN ? AND ?
            """, [.text(from.description), .text(through.description)]) {
            guard let id = row.int64("renewal_id"), let offset = row.int("offset_days"),
                  let phone = row.string("phone") else { continue }
            history.handled.insert(AttemptKey(renewalID: id, offset: offset, phone: phone))
            if let result = row.string("result").flatMap(RenewalAttemptResult.init(rawValue:)),
               RenewalAttemptResult.messaging.contains(result) {
                history.rounds[id, default: []].insert(offset)
            }
        }
        for row in try connection.query("""
            SELECT phone, sent_at FROM renewal_attempts WHERE result IN ('sent', 'rescheduled') AND sent_at >= ?
            """, [.integer(since)]) {
            guard let phone = row.string("phone"), let at = row.int64("sent_at") else { continue }
            history.messagedAt[phone, default: []].append(at)
        }
        for row in try connection.query("SELECT phone, language, opted_out_at FROM renewal_opt_outs") {
            guard let phone = row.string("phone") else { continue }
            if row.int64("opted_out_at") != nil { history.optedOut.insert(phone) }
            history.languages[phone] = row.string("language")
        }
        return history
    }

    func handled(_ renewalID: Int64, offset: Int, phone: String) -> Bool {
        handled.contains(AttemptKey(renewalID: renewalID, offset: offset, phone: phone))
    }

    /// Reminder rounds of the renewal other than `offset` itself (other phones on the same day share a round).
    func rounds(_ renewalID: Int64, besides offset: Int) -> Int {
        rounds[renewalID].map { $0.subtracting([offset]).count } ?? 0
    }

    /// Whether a message to `phone` at `at` would come within `window` ms of another renewal message to it.
    func capped(_ phone: String, at: Int64, window: Int64) -> Bool {
        window > 0 && (messagedAt[phone] ?? []).contains { abs($0 - at) < window }
    }

    func optedOut(_ phone: String) -> Bool { optedOut.contains(phone) }

    /// The language the phone spoke to us in (its opt-out or opt-in keyword), if any.
    func language(_ phone: String) -> String? { languages[phone] }

    mutating func record(_ renewalID: Int64, offset: Int, phone: String, messagedAt at: Int64?) {
        handled.insert(AttemptKey(renewalID: renewalID, offset: offset, phone: phone))
        guard let at else { return }
        rounds[renewalID, default: []].insert(offset)
        messagedAt[phone, default: []].append(at)
    }
}
