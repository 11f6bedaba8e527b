/// Where one renewal cycle (an outlet and one expiry date) stands.
public enum RenewalStatus: String, Sendable, CaseIterable {
    /// Within its cycle: reminders go out on their days.
    case open
    /// A later expiry date arrived (POS push, pull or import). Final.
    case renewed
    /// The last reminder's window passed without a renewal; a later renewal still turns it `renewed` (recovered).
    case lapsed
    /// The outlet was closed or suspended, or its expiry date moved earlier (see the stop reason). A suspended or
    /// closed outlet that becomes active or expired again reopens it.
    case stopped
    /// Every phone of the outlet opted out; START/MULA reopens it.
    case optedOut = "opted_out"
    /// The merchant answered with a renewal keyword (RENEW): no more reminders, the renewals team follows up on the
    /// reply's ticket. A later expiry date from the POS still makes it `renewed`.
    case customerReplied = "customer_replied"

    /// `open, renewed, lapsed, stopped, opted_out, customer_replied`, for error messages.
    static let spelledOut = allCases.map(\.rawValue).joined(separator: ", ")
}
