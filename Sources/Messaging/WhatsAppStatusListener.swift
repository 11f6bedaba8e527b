import Storage

/// Told when an outbound WhatsApp message changes status, on the writer's connection inside the transaction making the
/// change (a dispatcher outcome or a webhook status), so the owner can react atomically — e.g. the ticket phase
/// flagging a ticket whose CSAT request failed (`change.message.purpose == "csat"`). A listener that throws rolls the
/// change back with it.
public protocol WhatsAppStatusListener: Sendable {
    func statusChanged(_ change: WhatsAppStatusChange, in connection: any DatabaseConnection) throws
}

/// A status change of one message.
public struct WhatsAppStatusChange: Sendable, Equatable {
    /// The message after the change.
    public let message: WhatsAppOutboundMessage
    public let previous: WhatsAppMessageStatus
}
