import Delivery
import GatewayKit
import Storage

/// Outbound WhatsApp messages as the admin API sees them: queue one (once per idempotency key), read one or those
/// sent for a purpose and reference, and how many delivery statuses still wait for their message.
public struct WhatsAppMessages: Sendable {
    /// A queued message, and whether this call created it (false: the first message of the same key).
    public typealias Queued = (message: WhatsAppOutboundMessage?, created: Bool)

    public let sender: WhatsAppSender
    private let database: any Database
    /// Counts the sends refused because of the recipient or the template (`gateway_whatsapp_sends_refused_total`).
    private let metrics: MetricsRegistry?

    public init(database: any Database, sender: WhatsAppSender, metrics: MetricsRegistry? = nil) {
        self.database = database
        self.sender = sender
        self.metrics = metrics
    }

    /// Queues `send` through the outbox: the queued message, and whether this call created it (false: the first
    /// message of the same key).
    public func send(_ send: WhatsAppSend, addendum: Addendum<Queued>? = nil, answer: @escaping Answer<Queued>) {
        database.write({ [sender, metrics] connection in
            do {
                let queued = try sender.enqueue(send, in: connection)
                return (try WhatsAppOutboundTable.message(id: queued.id, in: connection), queued.created)
            } catch let error as WhatsAppSendError {
                if let reason = error.refusal {
                    metrics?.increment("gateway_whatsapp_sends_refused_total", [("reason", reason)],
                                       help: "Outbound WhatsApp sends refused before queueing, by reason")
                }
                throw GatewayError(error)
            }
        }, addendum: addendum, answer: answer)
    }

    /// The message with `id`, nil when unknown. Blocking read.
    public func message(id: Int64) throws -> WhatsAppOutboundMessage? {
        try database.read { try WhatsAppOutboundTable.message(id: id, in: $0) }
    }

    /// The message with `id` as `GET /v1/whatsapp/messages/{id}` shows it: ``WhatsAppOutboundMessage/json`` with the
    /// error's `reason` (see ``WhatsAppSender/failureReason(code:)``) and what Meta's status reports said beyond the
    /// status (`played_at`, `conversation`, `pricing`); nil when unknown. Blocking read.
    public func document(id: Int64) throws -> JSONValue? {
        try database.read { c -> JSONValue? in
            guard let message = try WhatsAppOutboundTable.message(id: id, in: c),
                  case .object(var document) = message.json else { return nil }
            if case .object(var error)? = document["error"], let reason = sender.failureReason(code: message.error?.code) {
                error["reason"] = .string(reason)
                document["error"] = .object(error)
            }
            if let wamid = message.wamid, let details = try WhatsAppMessageDetails.json(wamid: wamid, in: c) {
                document.merge(details) { _, detail in detail }
            }
            return .object(document)
        }
    }

    /// Messages sent for `purpose` about `reference`, oldest first. Blocking read.
    public func messages(purpose: String, reference: String) throws -> [WhatsAppOutboundMessage] {
        try database.read { try WhatsAppOutboundTable.messages(purpose: purpose, reference: reference, in: $0) }
    }

    /// The loaded templates by name (`GET /v1/templates`), each language with what Meta last said of it (`meta`:
    /// status, reason, quality, category; absent when Meta never reported on it). Blocking read.
    public func templates() throws -> JSONValue {
        let states = try database.read { try WhatsAppTemplateStates.all(in: $0) }
        let byKey = Dictionary(states.map { ("\($0.name)\u{0}\($0.language)", $0) }, uniquingKeysWith: { a, _ in a })
        let catalog = sender.catalog
        return ["items": .array(catalog.templates.keys.sorted().compactMap { name -> JSONValue? in
            guard case .object(var listing)? = catalog.templates[name]?.json,
                  case .object(var languages)? = listing["languages"] else { return nil }
            for (language, text) in languages {
                guard case .object(var entry) = text, let state = byKey["\(name)\u{0}\(language)"] else { continue }
                entry["meta"] = state.json
                languages[language] = .object(entry)
            }
            listing["languages"] = .object(languages)
            return .object(listing)
        })]
    }

    /// What Meta last said of the templates the gateway sends (those in the catalog), for the
    /// `gateway_whatsapp_template_status{name,language,status}` gauge; empty when the store cannot be read.
    public func usedTemplateStates() -> [WhatsAppTemplateState] {
        let states = (try? database.read { try WhatsAppTemplateStates.all(in: $0) }) ?? []
        return states.filter { sender.catalog.templates[$0.name]?.languages[$0.language] != nil && $0.status != nil }
    }

    /// The account's health as Meta reported it (`GET /v1/whatsapp/account`). Blocking read.
    public func account() throws -> JSONValue {
        try database.read { try WhatsAppAccountHealth.document(in: $0) }
    }

    /// The latest event per topic of the account's health reports, for the `gateway_whatsapp_account_event` gauge;
    /// empty when the store cannot be read.
    public func latestAccountEvents() -> [(topic: String, event: String)] {
        let rows = (try? database.read { try WhatsAppAccountHealth.latest(in: $0) }) ?? []
        return rows.map { ($0.string("topic") ?? "", $0.string("event") ?? "") }
    }

    /// Delivery statuses waiting for their message's `wamid`; -1 when the store cannot be read.
    public func unmatchedStatusCount() -> Int {
        (try? database.read { connection in
            try connection.queryOne("SELECT count(*) AS n FROM whatsapp_unmatched_statuses")?.int("n") ?? 0
        }) ?? -1
    }
}
