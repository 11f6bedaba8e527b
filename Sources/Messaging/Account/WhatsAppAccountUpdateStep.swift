import Delivery
import GatewayKit
import Storage

/// Records `account_update` items (Meta's reports on the account's health and its numbers' quality) in
/// `whatsapp_account_updates`. Counted in `gateway_whatsapp_account_updates_total{topic,event}`.
public struct WhatsAppAccountUpdateStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public var kinds: Set<String> { ["account_update"] }

    public init() {}

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .accountUpdate(let update) = item.event else { return .next }
        try WhatsAppAccountHealth.record(update, at: update.timestamp ?? item.now / 1000, now: item.now,
                                         in: connection)
        item.applied = true
        item.counts.increment("gateway_whatsapp_account_updates_total",
                              [("topic", update.topic), ("event", String(update.event.prefix(64)))],
                              help: "Meta's reports on the WhatsApp account's health, by topic and event")
        return .consumed
    }
}
