import Delivery
import GatewayKit
import Storage

/// Applies `template_update` items (Meta approved, paused, rejected, re-rated or re-categorised a template) to
/// `whatsapp_template_states`, which sends consult before queueing a template. Counted in
/// `gateway_whatsapp_template_updates_total{change}`.
public struct WhatsAppTemplateUpdateStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public var kinds: Set<String> { ["template_update"] }

    public init() {}

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .templateUpdate(let update) = item.event else { return .next }
        let at = update.timestamp ?? item.now / 1000
        if try WhatsAppTemplateStates.apply(update, at: at, now: item.now, in: connection) {
            item.applied = true
            let change = update.status != nil ? "status" : update.quality != nil ? "quality" : "category"
            item.counts.increment("gateway_whatsapp_template_updates_total", [("change", change)],
                                  help: "Template reports from Meta that changed a stored status, quality or category")
        }
        return .consumed
    }
}
