import GatewayKit
import Messaging
import Storage

/// Reflects what became of reminder messages on their attempts (told by the WhatsApp kit inside the transaction that
/// changes the message): a message that `failed` — refused by the Cloud API or reported failed by Meta — makes its
/// attempt `failed` (with the error), and a `rescheduled` (or failed) one that the Cloud API took or that reached the
/// phone becomes `sent`.
public struct RenewalDeliveryListener: WhatsAppStatusListener {
    private let metrics: MetricsRegistry?

    public init(metrics: MetricsRegistry? = nil) {
        self.metrics = metrics
    }

    public func statusChanged(_ change: WhatsAppStatusChange, in connection: any DatabaseConnection) throws {
        let message = change.message
        guard message.purpose == RenewalScheduler.purpose, let id = message.reference.flatMap({ Int64($0) }) else {
            return
        }
        switch message.status {
        case .queued:
            return
        case .failed:
            let detail = message.error.map { error in error.code.map { "\($0) \(error.title)" } ?? error.title }
            try RenewalTable.settle(attempt: id, from: [.sent, .rescheduled], to: .failed, detail: detail,
                                    now: message.updatedAt, in: connection)
            metrics?.increment("gateway_renewal_delivery_failures_total",
                               help: "Renewal reminders the Cloud API refused or Meta reported failed")
        case .accepted, .sent, .delivered, .read:
            // Also after a failure: a replayed dead letter accepted, or `delivered` reported after `failed`.
            try RenewalTable.settle(attempt: id, from: [.rescheduled, .failed], to: .sent, detail: nil,
                                    now: message.updatedAt, in: connection)
        }
    }
}
