import GatewayKit

/// First-response and resolution times as Prometheus histograms (`gateway_ticket_first_response_seconds`,
/// `gateway_ticket_resolution_seconds`, by queue), for alerting on the desk's targets (a median first response under
/// five minutes). Observed when the rollups take in a first response or a resolution that happened within the last
/// hour — what the desk does now; a rebuild of the rollups does not count old tickets again.
struct ResponseTimeMetrics: Sendable {
    static let buckets: [Double] = [30, 60, 120, 300, 600, 1_800, 3_600, 4 * 3_600, 8 * 3_600, 24 * 3_600, 72 * 3_600]
    static let recent: Int64 = 3_600_000

    let metrics: MetricsRegistry

    /// What changed from `old` to `new` at `now` (unix ms).
    func observe(old: TicketFact?, new: TicketFact?, now: Int64) {
        guard let new else { return }
        let labels = [("queue", new.queue)]
        if let frt = new.frt, old?.frt == nil, new.openedAt + frt.milliseconds >= now - Self.recent {
            metrics.observe("gateway_ticket_first_response_seconds", labels, value: Double(frt.milliseconds) / 1000,
                            help: "Time from a conversation ticket's opening to its first agent response",
                            buckets: Self.buckets)
        }
        if let art = new.art, old?.art?.milliseconds != art.milliseconds,
           new.openedAt + art.milliseconds >= now - Self.recent {
            metrics.observe("gateway_ticket_resolution_seconds", labels, value: Double(art.milliseconds) / 1000,
                            help: "Time from a conversation ticket's opening to its resolution", buckets: Self.buckets)
        }
    }
}
