import Delivery
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Ingress
import Storage
import XCTest

/// The app is a list of features; the inbound steps they give run by phase, in list order within a phase.
final class FeatureCompositionTests: XCTestCase {
    func testTheAppRunsTheInboundStepsPhaseByPhaseInFeatureOrderWithinAPhase() throws {
        let gateway = try TestGateway()
        let steps = gateway.app.inboundApplier.steps
        XCTAssertEqual(steps.map { String(describing: type(of: $0)) }, [
            "IdentityStep",
            "WhatsAppTemplateUpdateStep", "WhatsAppAccountUpdateStep", "WhatsAppStatusStep",
            "RenewalOptOutStep", "RenewalReplyStep", "OutletChoiceStep", "CSATReplyStep", "CampaignReplyStep",
            "TicketConversationStep", "TicketEchoStep", "TicketCallStep",
            "TicketOutletStep", "TicketMediaStep", "LeadCaptureStep",
        ])
        XCTAssertEqual(steps.map(\.phase), [.identify, .consume, .consume, .consume, .consume, .consume, .consume,
                                            .consume, .consume, .file, .file, .file, .enrich, .enrich, .enrich])
    }

    func testTheApplierSortsStepsByPhaseAndKeepsTheGivenOrderWithinAPhase() throws {
        let given: [any InboundItemStep] = [
            NamedStep(name: "late", phase: .enrich), NamedStep(name: "first consumer", phase: .consume),
            NamedStep(name: "who", phase: .identify), NamedStep(name: "second consumer", phase: .consume),
            NamedStep(name: "filer", phase: .file),
        ]
        let (store, directory) = try ScratchStore.open("composition")
        defer { ScratchStore.remove(store, directory) }
        let applier = InboundItemApplier(database: store.database, steps: given, metrics: MetricsRegistry(), clock: { 0 },
                                         pollIntervalMilliseconds: 1_000, batchSize: 1)
        XCTAssertEqual(applier.steps.compactMap { ($0 as? NamedStep)?.name },
                       ["who", "first consumer", "second consumer", "filer", "late"])
    }
}

private struct NamedStep: InboundItemStep {
    let name: String
    let phase: InboundPhase
    var kinds: Set<String> { ["message"] }
    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult { .next }
}
