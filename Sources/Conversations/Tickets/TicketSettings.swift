/// How WhatsApp conversations become tickets: the lead/support rules file, the reopen window and the SLA
/// targets. Loaded from the `tickets` section (see `Config/gateway.example.json`); times in milliseconds.
public struct TicketSettings: Sendable, Equatable {
    /// The lead/support keyword rules (``TicketClassifier``), relative to the working directory unless absolute;
    /// nil = no rules, every ticket is support. A missing or invalid file stops `gateway serve` naming the key.
    public var classificationFile: String? = "Config/ticket-classification.json"
    /// A customer message within this long after the ticket was resolved reopens it; later, a new ticket opens.
    public var reopenWindowMilliseconds = 7 * 86_400_000
    /// Default first-response target (time to the first agent reply).
    public var firstResponseMilliseconds = 5 * 60_000
    /// Default resolution target.
    public var resolutionMilliseconds = 24 * 3_600_000
    /// Per-category targets; a missing field falls back to the default.
    public var categoryTargets: [String: TicketSLATargets] = [:]
    /// How often the breach scheduler looks for clocks past their due time.
    public var slaCheckIntervalMilliseconds = 15_000
    /// Per queue, how new tickets are assigned (``TicketAssignment/Policy``: `round_robin`, `least_open`, `none`).
    public var supportAssignment = "round_robin"
    public var salesAssignment = "round_robin"
    public var renewalsAssignment = "round_robin"
    /// Who gets every lead ticket (a user's email); nil = the sales queue's policy.
    public var leadOwner: String?
    /// How long a claim on a ticket ("being handled by X") lasts unless its holder renews it.
    public var claimMilliseconds = 10 * 60_000
    /// How long the words of a message its sender deleted are kept for the audit (``TicketMessageDeletions``).
    public var deletedMessageRetentionMilliseconds = 30 * 86_400_000

    public init() {}

    /// The assignment policy of each queue by its name.
    public var assignmentPolicies: [String: String] {
        ["support": supportAssignment, "sales": salesAssignment, "renewals": renewalsAssignment]
    }
}
