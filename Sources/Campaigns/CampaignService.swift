import Access
import Delivery
import GatewayKit
import Messaging
import Segments
import Storage

/// Campaigns to segments for the API: start one (checked, its audience written in the same transaction, then queued
/// at the campaign pace by ``CampaignSending``), read its progress and recipients, list a segment's, cancel one.
/// A campaign goes to every member of the segment who has WhatsApp (a phone or BSUID and a conversation) and did not
/// stop marketing messages — whatever the template's category — each at most once per campaign.
public struct CampaignService: Sendable {
    private let database: any Database
    private let sender: WhatsAppSender
    /// Wakes the sending loop once a campaign is written.
    private let started: @Sendable () -> Void

    public init(database: any Database, sender: WhatsAppSender, started: @escaping @Sendable () -> Void) {
        self.database = database
        self.sender = sender
        self.started = started
    }

    /// Whether `name` is a property template variables may name (``CampaignProperties``). Blocking read.
    public func propertyExists(_ name: String) -> Bool {
        (try? database.read { try CampaignProperties.exists(name, in: $0) }) ?? false
    }

    /// Starts `input` to segment `segmentID`. The same `idempotencyKey` with the same request answers the first
    /// campaign (`created` false) and sends nothing again; with another request it is a conflict.
    /// - 409 while the segment is archived or not ready, when the template is not approved, when nobody in the
    ///   segment can be sent it; 400 for a template, language or variable count the template does not have.
    public func start(segment segmentID: Int64, _ input: CampaignInput, idempotencyKey: String?, by caller: Caller,
                      now: Int64, answer: @escaping Answer<(campaign: CampaignRecord, created: Bool)>) {
        let (sender, started) = (self.sender, self.started)
        let request = JSONWriter.string(["segment_id": .integer(segmentID), "name": .string(input.name),
                                         "template": .string(input.template), "language": JSONValue(input.language),
                                         "variables": input.variablesJSON])
        database.write({ c in
            if let idempotencyKey, let first = try CampaignTable.find(idempotencyKey: idempotencyKey, in: c) {
                guard first.request == request else {
                    throw GatewayError.conflict("Idempotency-Key \(idempotencyKey) was used for another campaign (\(first.id))")
                }
                return (campaign: first, created: false)
            }
            guard let segment = try SegmentRecords.find(segmentID, in: c) else {
                throw GatewayError.notFound("no segment \(segmentID)")
            }
            guard segment.status == "active", segment.readiness == "ready" else {
                throw GatewayError.conflict(segment.status == "active"
                    ? "Segment is not ready yet: send the campaign once its evaluation has finished."
                    : "Segment is archived.")
            }
            try Self.check(input, sender: sender, in: c)
            try c.run("""
                INSERT INTO campaigns (segment_id, name, template, language, variables, status, members, idempotency_key,
                    request, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'sending', 0, ?, ?, ?, ?, ?)
                """, [.integer(segmentID), .text(input.name), .text(input.template),
                      input.language.map(SQLValue.text) ?? .null, .text(JSONWriter.string(input.variablesJSON)),
                      idempotencyKey.map(SQLValue.text) ?? .null, .text(request), .text(caller.actor),
                      .integer(now), .integer(now)])
            let id = c.lastInsertRowID
            try c.run("""
                INSERT INTO campaign_recipients (campaign_id, customer_id, address, outcome, reason, updated_at)
                SELECT ?, customer_id, whatsapp_address,
                    CASE WHEN whatsapp_address IS NULL OR marketing_withdrawn = 1 THEN 'skipped' ELSE 'pending' END,
                    CASE WHEN whatsapp_address IS NULL THEN 'no_whatsapp'
                         WHEN marketing_withdrawn = 1 THEN 'consent_withdrawn' END, ?
                FROM segment_audience WHERE segment_id = ?
                """, [.integer(id), .integer(now), .integer(segmentID)])
            try c.run("UPDATE campaigns SET members = ? WHERE id = ?", [.integer(Int64(c.changes)), .integer(id)])
            guard let campaign = try CampaignTable.find(id, in: c) else { throw GatewayError.notFound("no campaign \(id)") }
            guard campaign.consenting > 0 else {
                throw GatewayError.conflict("Nobody in this segment can receive the campaign: \(campaign.json["audience"]?["estimate"]?.stringValue ?? ""), "
                    + "\(CampaignRecord.grouped(campaign.consenting)) of them accept marketing messages.")
            }
            try AuditTrail.record(AuditEntry(action: "campaign.started", subjectType: "campaign", subjectID: String(id),
                                             detail: ["segment_id": .integer(segmentID), "template": .string(input.template),
                                                      "recipients": .integer(campaign.consenting)]),
                                  by: caller, at: now, in: c)
            return (campaign: campaign, created: true)
        }, answer: { result in
            if case .success(let outcome) = result, outcome.created { started() }
            answer(result)
        })
    }

    /// The template exists in the language, takes as many parameters as there are variables, may be sent (Meta
    /// has not paused, rejected or disabled it), and WhatsApp is configured.
    private static func check(_ input: CampaignInput, sender: WhatsAppSender, in c: any DatabaseConnection) throws {
        guard sender.isConfigured else {
            throw GatewayError.notConfigured("WHATSAPP_PHONE_NUMBER_ID (whatsapp.phone_number_id)")
        }
        guard let template = sender.catalog.templates[input.template] else {
            throw GatewayError.validation([FieldError(field: "template.name", message: "no template named \(input.template) is loaded")])
        }
        let language = input.language ?? sender.catalog.defaultLanguage
        guard template.languages[language] != nil else {
            throw GatewayError.validation([FieldError(field: "template.language", message: "\(template.name) has no \(language) text "
                                                      + "(available: \(template.languages.keys.sorted().joined(separator: ", ")))")])
        }
        guard template.parameters.count == input.variables.count else {
            throw GatewayError.validation([FieldError(field: "variables", message: "\(template.name) takes "
                                                      + "\(template.parameters.count) parameters (\(template.parameters.joined(separator: ", "))), "
                                                      + "\(input.variables.count) given")])
        }
        if let state = try WhatsAppTemplateStates.state(name: template.name, language: language, in: c), !state.maySend {
            throw GatewayError(WhatsAppSendError.templateNotApproved(template: template.name, language: language,
                                                                     status: state.status ?? "", reason: state.reason))
        }
    }

    public func find(_ id: Int64) throws -> CampaignRecord? {
        try database.read { try CampaignTable.find(id, in: $0) }
    }

    /// The segment's campaigns, newest first (at most 100); nil when there is no such segment.
    public func campaigns(ofSegment id: Int64) throws -> [CampaignRecord]? {
        try database.read { c in
            guard try SegmentRecords.find(id, in: c) != nil else { return nil }
            return try CampaignTable.list(segment: id, in: c)
        }
    }

    /// A page of recipients (by customer), optionally of one outcome; nil when there is no such campaign.
    public func recipients(of id: Int64, outcome: String?, after: Int64, limit: Int) throws -> [JSONValue]? {
        try database.read { c in
            guard try CampaignTable.find(id, in: c) != nil else { return nil }
            var sql = """
                SELECT r.*, p.contact_id, p.full_name FROM campaign_recipients r
                LEFT JOIN customer_profiles p ON p.customer_id = r.customer_id
                WHERE r.campaign_id = ? AND r.customer_id > ?
                """
            var values: [SQLValue] = [.integer(id), .integer(after)]
            if let outcome {
                sql += " AND r.outcome = ?"
                values.append(.text(outcome))
            }
            return try c.query(sql + " ORDER BY r.customer_id LIMIT ?", values + [.integer(Int64(limit))]).map { row in
                func time(_ column: String) -> JSONValue { row.int64(column).map { .string(Timestamps.rfc3339($0)) } ?? .null }
                return ["cursor": .string(String(row.int64("customer_id") ?? 0)), "contact_id": JSONValue(row.string("contact_id")),
                        "full_name": JSONValue(row.string("full_name")), "address": JSONValue(row.string("address")),
                        "outcome": JSONValue(row.string("outcome")), "reason": JSONValue(row.string("reason")),
                        "message_id": row.int64("message_id").map(JSONValue.integer) ?? .null,
                        "sent_at": time("sent_at"), "delivered_at": time("delivered_at"), "read_at": time("read_at"),
                        "replied_at": time("replied_at")]
            }
        }
    }

    /// Stops campaign `id`: recipients not queued yet are `cancelled`, and messages queued but not yet taken by the
    /// Cloud API are withdrawn (their recipients `cancelled` too). 409 when nothing is left to stop.
    public func cancel(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<CampaignRecord>) {
        database.write({ c in
            guard let campaign = try CampaignTable.find(id, in: c) else { throw GatewayError.notFound("no campaign \(id)") }
            guard campaign.status != "cancelled" else { return campaign }
            try CampaignTable.settle(campaign: id, from: ["pending"], to: "cancelled", reason: "cancelled", now: now, in: c)
            var stopped = c.changes
            for row in try c.query("""
                SELECT customer_id, message_id FROM campaign_recipients
                WHERE campaign_id = ? AND outcome = 'queued' AND message_id IS NOT NULL
                """, [.integer(id)]) {
                guard let message = row.int64("message_id"), let customer = row.int64("customer_id"),
                      try WhatsAppSendWithdrawal.withdraw(messageID: message, reason: "campaign cancelled", at: now, in: c)
                else { continue }
                try CampaignTable.settle(campaign: id, customer: customer, from: ["queued"], to: "cancelled",
                                         reason: "withdrawn", now: now, in: c)
                stopped += 1
            }
            guard stopped > 0 else {
                throw GatewayError.conflict("Campaign \(id) has been sent: every message has gone, nothing is left to cancel.")
            }
            try CampaignTable.finish(id, status: "cancelled", now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "campaign.cancelled", subjectType: "campaign", subjectID: String(id),
                                             detail: ["stopped": .integer(Int64(stopped))]), by: caller, at: now, in: c)
            return try CampaignTable.find(id, in: c) ?? campaign
        }, answer: answer)
    }
}
