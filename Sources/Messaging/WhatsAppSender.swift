import Delivery
import GatewayKit
import Identity
import Storage

/// Queues WhatsApp messages: checks a ``WhatsAppSend`` against the Cloud API's rules, builds the exact request body,
/// and writes the message row and its outbox row (endpoint `whatsapp`, `POST /{phone_number_id}/messages`) in the
/// caller's transaction, so the message exists exactly when the change that caused it does. Messages to one
/// recipient go out one at a time in order (ordering key `wa:<recipient>`), except deferred ones
/// (``WhatsAppSend/notBeforeMillis``), which go at their time without holding the others back.
///
/// ```swift
/// try store.database.write { connection in
///     try connection.run("UPDATE tickets SET status = 'resolved' WHERE id = ?", [.integer(ticketID)])
///     _ = try sender.enqueue(WhatsAppSend(
///         recipient: .phone("60123456789"),
///         content: .template(name: "csat_request", language: "ms", parameters: ["Aisyah", "T-1042"]),
///         purpose: "csat", reference: String(ticketID), idempotencyKey: "csat:\(ticketID)"), in: connection)
/// }
/// ```
public struct WhatsAppSender: Sendable {
    /// The outbound endpoint sends go to.
    public static let endpoint = BuiltInEndpoint.whatsapp.name

    public let catalog: WhatsAppTemplateCatalog
    private let format: any WhatsAppWireFormat
    private let phoneNumberID: String?
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - phoneNumberID: `WHATSAPP_PHONE_NUMBER_ID`; without it every send throws ``WhatsAppSendError/notConfigured(_:)``.
    ///   - clock: unix ms.
    ///   - format: the request bodies (the WhatsApp adapter's Cloud API format).
    public init(catalog: WhatsAppTemplateCatalog, format: any WhatsAppWireFormat, phoneNumberID: String?,
                clock: @escaping @Sendable () -> Int64) {
        self.catalog = catalog
        self.format = format
        self.phoneNumberID = phoneNumberID
        self.clock = clock
    }

    /// Whether sends can be queued at all (`WHATSAPP_PHONE_NUMBER_ID` is set).
    public var isConfigured: Bool { !(phoneNumberID ?? "").isEmpty }

    /// Queues `send` on `connection` (inside the caller's transaction). The same idempotency key with the same
    /// message returns the first one (`created: false`) and queues nothing.
    /// - Throws: ``WhatsAppSendError`` (nothing is written), or the database's error.
    public func enqueue(_ send: WhatsAppSend, in connection: any DatabaseConnection) throws -> WhatsAppOutboundReference {
        let checked = try CheckedWhatsAppSend(send, catalog: catalog)
        guard let phoneNumberID, !phoneNumberID.isEmpty else {
            throw WhatsAppSendError.notConfigured("WHATSAPP_PHONE_NUMBER_ID (whatsapp.phone_number_id)")
        }
        let body = JSONWriter.string(format.requestBody(checked))
        if let first = try WhatsAppOutboundTable.message(idempotencyKey: send.idempotencyKey, in: connection) {
            guard first.requestBody == body, first.purpose == send.purpose, first.reference == send.reference else {
                throw WhatsAppSendError.idempotencyConflict(key: send.idempotencyKey, messageID: first.id)
            }
            return WhatsAppOutboundReference(id: first.id, idempotencyKey: send.idempotencyKey, created: false)
        }
        // A retry of a message already queued gets it back (above); a new one must still be allowed now.
        try refuseUnapproved(checked, in: connection)
        try refuseWithoutConsent(checked, in: connection)
        let now = clock()
        let outboxKey = "wa:" + send.idempotencyKey
        // A savepoint keeps the row and its outbox row together even for a caller that catches the error.
        let id = try connection.savepoint { () throws -> Int64 in
            let id = try WhatsAppOutboundTable.insert(checked, requestBody: body, outboxKey: outboxKey,
                                                      now: now, in: connection)
            // A deferred send stays out of the recipient's queue: queued there it would hold back every later message
            // to that person (an agent's reply) until its own time.
            let queued = try Outbox.enqueue(OutboundMessage(
                endpoint: Self.endpoint, path: "/\(phoneNumberID)/messages", body: Array(body.utf8),
                idempotencyKey: outboxKey,
                orderingKey: send.notBeforeMillis == nil ? "wa:" + send.recipient.value : nil,
                traceparent: send.traceparent, notBeforeMillis: send.notBeforeMillis),
                in: connection, now: now)
            // The outbox still knows the key (a dead letter of a message whose row is gone): refuse, never resend.
            guard case .enqueued = queued else {
                throw WhatsAppSendError.idempotencyConflict(key: send.idempotencyKey, messageID: id)
            }
            return id
        }
        return WhatsAppOutboundReference(id: id, idempotencyKey: send.idempotencyKey, created: true)
    }
}

extension WhatsAppSender {
    /// A short reason for a failed message's error code, as the wire format knows it; nil when it knows none.
    public func failureReason(code: Int64?) -> String? { code.flatMap(format.failureReason(code:)) }

    /// A template Meta paused, rejected or disabled in this language (see ``WhatsAppTemplateState/sendable``) is not
    /// queued: Meta would refuse it, and the caller learns why now (a 409; CSAT and renewals record a skipped attempt
    /// instead of a dead letter).
    private func refuseUnapproved(_ checked: CheckedWhatsAppSend, in connection: any DatabaseConnection) throws {
        guard let template = checked.template, let language = checked.language,
              let state = try WhatsAppTemplateStates.state(name: template.name, language: language, in: connection),
              !state.maySend else { return }
        throw WhatsAppSendError.templateNotApproved(template: template.name, language: language,
                                                    status: state.status ?? "", reason: state.reason)
    }

    /// A MARKETING template is never queued for a customer who stopped marketing messages; other categories are not
    /// marketing (renewal reminders decide for themselves, by `renewals.respect_marketing_stop`).
    private func refuseWithoutConsent(_ checked: CheckedWhatsAppSend, in connection: any DatabaseConnection) throws {
        guard let template = checked.template, template.category == WhatsAppTemplate.marketing else { return }
        let recipient = checked.send.recipient
        let category = InboundPreference.marketingCategory
        let withdrawn = switch recipient {
        case .phone(let phone): try CustomerConsents.isWithdrawn(category, phone: phone, in: connection)
        case .bsuid(let bsuid): try CustomerConsents.isWithdrawn(category, bsuid: bsuid, in: connection)
        }
        if withdrawn { throw WhatsAppSendError.consentWithdrawn(recipient: recipient.value, template: template.name) }
    }
}

/// What ``WhatsAppSender/enqueue(_:in:)`` queued (or found queued).
public struct WhatsAppOutboundReference: Sendable, Equatable {
    /// The message row (`GET /v1/whatsapp/messages/{id}`, ``WhatsAppOutboundTable/message(id:in:)``).
    public let id: Int64
    public let idempotencyKey: String
    /// False when the key had been used for this same message before: nothing new was queued.
    public let created: Bool
}
