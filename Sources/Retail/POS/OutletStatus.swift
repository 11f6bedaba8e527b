import GatewayKit
/// Where an outlet's POS subscription stands, as the POS reports it (input is case-insensitive, stored lower case).
/// The renewal phase reads these: `active` and `expired` outlets are reminded (before and after the expiry date),
/// `suspended` and `closed` ones are not.
public enum OutletStatus: String, CaseIterable, Sendable {
    /// Subscribed; an `expiry_date` in the past is still accepted and means the renewal is overdue.
    case active
    /// The subscription lapsed (a win-back target).
    case expired
    /// Blocked by the POS for now (e.g. payment dispute).
    case suspended
    /// The outlet stopped trading; never reminded.
    case closed

    /// The status named by `text` (any case, surrounding spaces ignored).
    public init?(text: String) {
        self.init(rawValue: text.trimmingSpaces.lowercased())
    }

    /// `active, expired, suspended, closed`, for error messages.
    static let spelledOut = allCases.map(\.rawValue).joined(separator: ", ")
}
