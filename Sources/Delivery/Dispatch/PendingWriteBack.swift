/// What the dispatcher has to write on its next writer round trip: attempt outcomes (and what endpoint observers are
/// told about them) and changes of endpoints' disabled state. Taken whole into an ``OutboxSync/Order``; put back,
/// ahead of anything newer, when that order fails. Owned by the dispatcher thread.
struct PendingWriteBack {
    private var updates: [OutboxUpdate] = []
    private var notices: [Int64: OutboundDeliveryOutcome] = [:]
    private var enables: [EndpointEnableRequest] = []
    private var disablements: [EndpointDisablement] = []

    var isEmpty: Bool { updates.isEmpty && enables.isEmpty && disablements.isEmpty }

    /// An outcome to record; `notice` is what the endpoint's observer is told about it.
    mutating func add(_ update: OutboxUpdate, notice: OutboundDeliveryOutcome? = nil) {
        updates.append(update)
        if let notice { notices[update.id] = notice }
    }

    /// A 410 disabled the endpoint: stored with the outcome that records the 410 (same round trip).
    mutating func disable(_ disablement: EndpointDisablement) {
        disablements.append(disablement)
    }

    /// An operator re-enabled the endpoint: a disablement not yet written is dropped, and the stored state is cleared
    /// (which also clears a disablement already on its way to the writer, since round trips commit in order).
    mutating func enable(_ request: EndpointEnableRequest) {
        disablements.removeAll { $0.endpoint == request.endpoint }
        enables.append(request)
    }

    /// Moves everything into `order`.
    mutating func drain(into order: inout OutboxSync.Order) {
        order.updates = updates
        order.notices = notices
        order.enables = enables
        order.disablements = disablements
        self = PendingWriteBack()
    }

    /// Puts back what a failed `order` carried, ahead of what came since; a disablement it carried for an endpoint
    /// re-enabled since is dropped.
    mutating func restore(_ order: OutboxSync.Order) {
        let enabledSince = Set(enables.map(\.endpoint))
        updates = order.updates + updates
        notices.merge(order.notices) { _, newer in newer }
        enables = order.enables + enables
        disablements = order.disablements.filter { !enabledSince.contains($0.endpoint) } + disablements
    }
}
