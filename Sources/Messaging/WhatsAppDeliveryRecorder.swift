import Delivery
import Storage

/// The `whatsapp` endpoint's ``OutboundDeliveryObserver``: writes each send outcome onto its message row, in the
/// transaction that records it on the outbox row — the `wamid` of a 2xx, the last error of a retried attempt, the
/// code and title of a refusal. Outbox rows of the endpoint that are no WhatsApp message (test events) are skipped.
public struct WhatsAppDeliveryRecorder: OutboundDeliveryObserver {
    private let ledger: WhatsAppMessageLedger
    private let format: any WhatsAppWireFormat

    /// - Parameter format: reads the message id and the error out of answers.
    public init(ledger: WhatsAppMessageLedger, format: any WhatsAppWireFormat) {
        self.ledger = ledger
        self.format = format
    }

    public func record(_ outcome: OutboundDeliveryOutcome, in connection: any DatabaseConnection) throws {
        guard let message = try WhatsAppOutboundTable.message(outboxKey: outcome.idempotencyKey, in: connection) else {
            return
        }
        switch outcome.result {
        case .delivered:
            try ledger.accepted(message, wamid: format.messageID(inAnswer: outcome.responseBody),
                                attempts: outcome.attempts, at: outcome.at, in: connection)
        case .retrying:
            try ledger.retrying(message, error: error(outcome), attempts: outcome.attempts, at: outcome.at,
                                in: connection)
        case .rejected, .deadLettered:
            try ledger.refused(message, error: error(outcome), attempts: outcome.attempts, at: outcome.at,
                               in: connection)
        }
    }

    /// Meta's error when the answer carries one; else the dispatcher's reason (HTTP status, transport error,
    /// missing URL).
    func error(_ outcome: OutboundDeliveryOutcome) -> WhatsAppMessageError {
        format.error(inAnswer: outcome.responseBody)
            ?? WhatsAppMessageError(code: nil, title: outcome.error ?? "not delivered",
                                    detail: outcome.status.map { "HTTP \($0)" })
    }
}
