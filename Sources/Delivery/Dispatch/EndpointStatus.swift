/// A snapshot of one endpoint's live state, for `/metrics`, `GET /v1/endpoints` and tests.
public struct EndpointStatus: Sendable, Equatable {
    public let endpoint: EndpointName
    /// `closed`, `half_open` or `open`.
    public let breaker: String
    /// Why and since when a 410 Gone disabled the endpoint; nil while it is enabled.
    public let disablement: EndpointDisablement?
    public let inFlight: Int
    /// Claimed and waiting for a slot or a rate token.
    public let held: Int

    init(_ lane: EndpointLane) {
        endpoint = lane.endpoint.name
        switch lane.breaker.state {
        case .closed: breaker = "closed"
        case .halfOpen: breaker = "half_open"
        case .open: breaker = "open"
        }
        disablement = lane.disablement
        inFlight = lane.inFlight
        held = lane.held.count
    }

    public var disabled: Bool { disablement != nil }

    /// The `gateway_outbound_breaker_state` gauge value: 0 closed, 1 half-open, 2 open.
    public var breakerGaugeValue: Double {
        switch breaker {
        case "closed": return 0
        case "half_open": return 1
        default: return 2
        }
    }
}
