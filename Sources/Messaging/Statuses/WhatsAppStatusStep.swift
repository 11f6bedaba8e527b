import Delivery
import GatewayKit
import Storage

/// Applies WhatsApp delivery statuses while they are recorded, in the writer operation that records them (the
/// embedded engine, while the inbound applier runs), with the effects ``WhatsAppStatusApplier`` gives a pending one:
/// the status is never read back and parsed again, and takes no second operation. Its items are counted in
/// `gateway_whatsapp_status_items_total{outcome}` (``WhatsAppStatusApplier/series``), and a status kept for a `wamid`
/// no message has yet in `gateway_whatsapp_statuses_unmatched_total`, whichever of the two applied it. Statuses
/// recorded otherwise (PostgreSQL, the applier not running, a payload that did not decode) stay pending for
/// ``WhatsAppStatusApplier``.
public struct WhatsAppStatusStep: InboundItemStep {
    private let ledger: WhatsAppMessageLedger

    public init(ledger: WhatsAppMessageLedger) {
        self.ledger = ledger
    }

    public var phase: InboundPhase { .consume }
    public var kinds: Set<String> { Set(WhatsAppStatusApplier.kinds) }
    public var consumerSeries: InboxItemSeries? { WhatsAppStatusApplier.series }

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .status(let report) = item.event else { return .next }
        let applied = try WhatsAppStatusApplier.apply(report, ledger: ledger, now: item.now, in: connection)
        if applied.unmatched {
            item.counts.increment(WhatsAppStatusApplier.unmatchedMetric, help: WhatsAppStatusApplier.unmatchedHelp)
        }
        // Nothing to apply leaves the item to no later step: the applier marks it `ignored`.
        return applied.verdict == .applied ? .consumed : .next
    }
}
