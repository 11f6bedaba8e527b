import Delivery
import Foundation
import GatewayKit
import Messaging
import Storage

/// Queues campaign messages at the campaign pace: once a second, up to `campaigns.messages_per_second` pending
/// recipients of the oldest campaign still sending, each as a template message through the WhatsApp sender (its
/// rate limits, retries and statuses) in one transaction with the recipient's outcome. Idempotency key
/// `campaign:<campaign>:<customer>`: a crash between passes never sends anyone a campaign twice. A recipient without
/// a value for a variable (and no fallback) is skipped `missing_variable`; one who stopped marketing messages since
/// the campaign started, `consent_withdrawn`; a template Meta stopped taking skips everyone left,
/// `template_not_sendable`. A campaign with nobody pending is `sent`.
public final class CampaignSending: Sendable, Service {
    public static let purpose = "campaign"
    private let pass: @Sendable () -> Int
    private let loop: PollingLoop

    public init(database: any Database, sender: WhatsAppSender, settings: CampaignSettings, metrics: MetricsRegistry,
                log: EventLog, clock: @escaping @Sendable () -> Int64) {
        let limit = settings.messagesPerSecond
        let pass: @Sendable () -> Int = {
            do {
                let queued = try database.write { try Self.queue(limit: limit, sender: sender, now: clock(), in: $0) }
                if queued > 0 {
                    metrics.increment("gateway_campaign_messages_queued_total", by: Double(queued),
                                      help: "Campaign template messages queued for sending")
                }
                return queued
            } catch {
                // Store trouble or WhatsApp not configured: nothing was written; the next pass tries again.
                log.error("campaign_pass_failed", ["error": "\(error)"])
                return 0
            }
        }
        self.pass = pass
        // Never straight again: the pace is one batch a second.
        loop = PollingLoop(name: "campaigns", pollIntervalMilliseconds: 1_000) { _ = pass(); return false }
    }

    public func start() { loop.start() }
    public func wake() { loop.wake() }
    public func stop() { loop.stop() }

    /// One batch on the caller's thread; how many messages it queued.
    @discardableResult
    public func sendOnce() -> Int { pass() }

    /// Queues up to `limit` messages of the oldest sending campaign on `c`.
    static func queue(limit: Int, sender: WhatsAppSender, now: Int64, in c: any DatabaseConnection) throws -> Int {
        guard let campaign = try CampaignTable.sending(in: c) else { return 0 }
        let batch = try c.query("""
            SELECT customer_id, address FROM campaign_recipients WHERE campaign_id = ? AND outcome = 'pending'
            ORDER BY customer_id LIMIT ?
            """, [.integer(campaign.id), .integer(Int64(limit))])
        guard !batch.isEmpty else {
            try CampaignTable.finish(campaign.id, status: "sent", now: now, in: c)
            return 0
        }
        let names = Set(campaign.variables.compactMap { if case .property(let name, _) = $0 { name } else { nil } })
        let values = try CampaignProperties.values(of: names, for: batch.compactMap { $0.int64("customer_id") }, in: c)
        var queued = 0
        for row in batch {
            guard let customer = row.int64("customer_id") else { continue }
            func settle(_ outcome: String, _ reason: String?) throws {
                try CampaignTable.settle(campaign: campaign.id, customer: customer, from: ["pending"], to: outcome,
                                         reason: reason, now: now, in: c)
            }
            let parameters = campaign.variables.map { variable -> String? in
                switch variable {
                case .text(let text): return text
                case .property(let name, let fallback): return values[customer]?[name] ?? fallback
                }
            }
            guard let recipient = row.string("address").flatMap(WhatsAppRecipient.init(parsing:)) else {
                try settle("skipped", "no_whatsapp")
                continue
            }
            let filled = parameters.compactMap { $0 }
            guard filled.count == parameters.count else {
                try settle("skipped", "missing_variable")
                continue
            }
            do {
                let message = try sender.enqueue(WhatsAppSend(
                    recipient: recipient, content: .template(name: campaign.template, language: campaign.language,
                                                             parameters: filled),
                    purpose: purpose, reference: "\(campaign.id):\(customer)",
                    idempotencyKey: "campaign:\(campaign.id):\(customer)"), in: c)
                try c.run("""
                    UPDATE campaign_recipients SET outcome = 'queued', reason = NULL, message_id = ?, sent_at = ?, updated_at = ?
                    WHERE campaign_id = ? AND customer_id = ?
                    """, [.integer(message.id), .integer(now), .integer(now), .integer(campaign.id), .integer(customer)])
                queued += 1
            } catch let error as WhatsAppSendError {
                switch error {
                case .notConfigured: throw error
                case .consentWithdrawn: try settle("skipped", "consent_withdrawn")
                case .templateNotApproved:
                    try CampaignTable.settle(campaign: campaign.id, from: ["pending"], to: "skipped",
                                             reason: "template_not_sendable", now: now, in: c)
                    return queued
                default:
                    let detail = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                    try settle("failed", detail.isEmpty ? "refused" : "invalid_parameter (\(detail))")
                }
            }
        }
        return queued
    }
}
