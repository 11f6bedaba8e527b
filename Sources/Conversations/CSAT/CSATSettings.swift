/// The CSAT survey sent when a conversation ticket is resolved (1–5 rating, optional comment), loaded from the
/// `csat` section (see `Config/gateway.example.json`); times in milliseconds.
public struct CSATSettings: Sendable, Equatable {
    /// Send the `csat_request` template on every resolution of a WhatsApp ticket.
    public var enabled = true
    /// A rating later than this after the survey was sent is ignored (counted `expired`).
    public var responseWindowMilliseconds = 7 * 86_400_000
    /// The customer's next free-text message this soon after the rating becomes its comment.
    public var commentWindowMilliseconds = 30 * 60_000

    public init() {}
}
