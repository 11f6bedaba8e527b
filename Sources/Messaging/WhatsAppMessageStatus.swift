import Delivery
/// Where an outbound WhatsApp message got to. Statuses only move up their ``rank``, so late, repeated or
/// out-of-order reports never take a message back (`read` then `delivered` stays `read`).
///
/// Why `failed` ranks above `sent` and below `delivered`: a failure after "sent" is news (Meta gave up), and a
/// "sent" arriving after the failure is just late; but `delivered` or `read` prove the message reached the phone,
/// so they win over a failure reported in either order.
public enum WhatsAppMessageStatus: String, Sendable, CaseIterable {
    /// In the outbox, not yet accepted by the Cloud API.
    case queued
    /// The Cloud API answered 2xx with the message id (`wamid`).
    case accepted
    case sent
    /// The Cloud API refused it, or Meta reported it failed (the row carries the error code and title).
    case failed
    case delivered
    case read

    public var rank: Int {
        switch self {
        case .queued: return 0
        case .accepted: return 1
        case .sent: return 2
        case .failed: return 3
        case .delivered: return 4
        case .read: return 5
        }
    }

    /// The column holding when this status was reported (nil for `queued`: that is `created_at`).
    var timestampColumn: String? {
        self == .queued ? nil : "\(rawValue)_at"
    }

    /// A WhatsApp webhook status (`sent`, `delivered`, `read`, `failed`); nil for others (`deleted`, `warning`).
    init?(_ state: InboundStatus.State) {
        switch state {
        case .sent: self = .sent
        case .delivered: self = .delivered
        case .read: self = .read
        case .failed: self = .failed
        case .other: return nil
        }
    }
}
