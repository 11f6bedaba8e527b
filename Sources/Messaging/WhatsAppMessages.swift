import Delivery
import GatewayKit
import Storage

/// Outbound WhatsApp messages as the admin API sees them: queue one (once per idempotency key), read one or those
/// sent for a purpose and reference, and how many delivery statuses still wait for their message.
public struct WhatsAppMessages: Sendable {
    public let sender: WhatsAppSender
    private let database: any Database

    public init(database: any Database, sender: WhatsAppSender) {
        self.database = database
        self.sender = sender
    }

    /// Queues `send` through the outbox: the queued message, and whether this call created it (false: the first
    /// message of the same key).
    public func send(_ send: WhatsAppSend, answer: @escaping Answer<(message: WhatsAppOutboundMessage?, created: Bool)>) {
        database.write({ [sender] connection in
            do {
                let queued = try sender.enqueue(send, in: connection)
                return (try WhatsAppOutboundTable.message(id: queued.id, in: connection), queued.created)
            } catch let error as WhatsAppSendError {
                throw GatewayError(error)
            }
        }, answer: answer)
    }

    /// The message with `id`, nil when unknown. Blocking read.
    public func message(id: Int64) throws -> WhatsAppOutboundMessage? {
        try database.read { try WhatsAppOutboundTable.message(id: id, in: $0) }
    }

    /// Messages sent for `purpose` about `reference`, oldest first. Blocking read.
    public func messages(purpose: String, reference: String) throws -> [WhatsAppOutboundMessage] {
        try database.read { try WhatsAppOutboundTable.messages(purpose: purpose, reference: reference, in: $0) }
    }

    /// Delivery statuses waiting for their message's `wamid`; -1 when the store cannot be read.
    public func unmatchedStatusCount() -> Int {
        (try? database.read { connection in
            try connection.queryOne("SELECT count(*) AS n FROM whatsapp_unmatched_statuses")?.int("n") ?? 0
        }) ?? -1
    }
}
