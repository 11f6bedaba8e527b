import Delivery
import Messaging
import Storage

/// The inbound step after the ticket step that queues the download of a customer's image, document, audio, video or
/// sticker — or of one sent from the WhatsApp Business app (an echo): the message is already filed (the conversation
/// never waits for a file), and its media is `pending` in the same transaction, so the download cannot be lost. The downloader is woken once the transaction commits.
public struct TicketMediaStep: InboundItemStep {
    public var phase: InboundPhase { .enrich }
    public var kinds: Set<String> { ["message", "echo"] }
    private let wake: @Sendable () -> Void

    /// - Parameter wake: tells the downloader there is work (called after the commit).
    public init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        let (message, echo): (InboundMessage, Bool)
        switch item.event {
        case .message(let inbound): (message, echo) = (inbound, false)
        case .echo(let sent): (message, echo) = (sent, true)
        default: return .next
        }
        guard let media = message.media, let kind = WhatsAppMediaType(message.type),
              let filed = try TicketMessages.filed(message.id, echo: echo, in: c) else { return .next }
        try TicketMediaTable.enqueue(ticketMessageID: filed.id, ticketID: filed.ticketID, mediaID: media.id, kind: kind,
                                     now: item.now, in: c)
        c.afterCommit("media-downloader", wake)
        item.applied = true
        return .next
    }
}

extension WhatsAppMediaType {
    /// The media kind of an inbound message type; nil for types without a file.
    init?(_ type: InboundMessageType) {
        switch type {
        case .image: self = .image
        case .document: self = .document
        case .audio: self = .audio
        case .video: self = .video
        case .sticker: self = .sticker
        default: return nil
        }
    }
}
