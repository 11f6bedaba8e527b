import CRM
import Delivery
import GatewayKit
import Storage

/// The inbound step that turns customer messages into tickets. For each `message` item, after the
/// identity step resolved the sender:
///
/// - the conversation is the resolved customer (`cus_…`), or, for a sender the identity mode resolves to nobody (a
///   BSUID-only sender with multi-BSUID off), `bsuid:<BSUID>` (or `phone:<digits>`): such messages still get a
///   ticket, without a `contact_id`;
/// - its newest ticket `open` → the message is attached; `pending` → attached, and the ticket moves back to `open`;
///   `resolved` less than `tickets.reopen_window` ago → reopened (counted) and attached; `closed`, resolved longer
///   ago, or none → a new `open` ticket, classified lead/support by this first message (``TicketClassifier``) and
///   routed to its queue — or to the queue an earlier step named (``InboundItem/ticketQueue``) — with its SLA
///   clocks started;
/// - a reaction only ever attaches to the newest ticket as it is (it neither opens nor reopens one);
/// - an edit or a deletion changes the message it names where that is filed (``TicketMessageChanges``);
/// - a message already attached (same WhatsApp id) changes nothing: a re-delivered or re-applied item attaches once.
public struct TicketConversationStep: InboundItemStep {
    public var phase: InboundPhase { .file }
    public let workflow: TicketWorkflow
    public let classifier: TicketClassifier
    public let reopenWindowMilliseconds: Int64
    /// Gives a ticket that opens, or reopens without an available assignee, to an agent; nil = nobody is assigned.
    public let assignment: TicketAssignment?
    /// The outlet status a ticket opened for a message starts with: `unlinked`, as outlet resolution (the enrich step
    /// after this one, in the same pass) leaves it when it finds nothing — it links the ticket or marks it ambiguous
    /// otherwise — so the new row is written once, not inserted and then updated.
    /// Nil for a call's ticket (``TicketCallStep``): outlet resolution looks at messages only, so the customer's next
    /// message resolves it.
    var openedOutletStatus: TicketOutletStatus? = .unlinked

    /// Told of every ticket this step opens (the desk's feed, analytics).
    let openingObservers: [any TicketOpeningObserver]

    public var kinds: Set<String> { ["message"] }

    public init(workflow: TicketWorkflow, classifier: TicketClassifier, reopenWindowMilliseconds: Int64,
                assignment: TicketAssignment? = nil, openingObservers: [any TicketOpeningObserver]) {
        self.workflow = workflow
        self.openingObservers = openingObservers
        self.classifier = classifier
        self.reopenWindowMilliseconds = reopenWindowMilliseconds
        self.assignment = assignment
    }

    /// The classification of a message that may open a ticket (``TicketClassifier``: its text and the rules alone), off
    /// the writer; used only when the message does open one.
    public func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? {
        guard case .message(let message) = event, message.edit == nil, message.revokedMessageID == nil,
              message.type != .reaction else { return nil }
        return classifier.classify(message.displayText)
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event else { return .next }
        if message.edit != nil || message.revokedMessageID != nil {
            let changed = try TicketMessageChanges.apply(message, actor: "customer", at: message.timestamp * 1000, in: c)
            item.ticketID = changed
            item.applied = changed != nil
            let outcome = changed == nil ? "change_without_message" : message.edit != nil ? "edited" : "deleted"
            item.counts.increment(Self.messagesMetric, [("outcome", outcome)], help: Self.messagesHelp)
            return .consumed
        }
        if let filed = try TicketMessages.ticketID(ofInbound: message.id, in: c) {
            item.ticketID = filed
            item.counts.increment(Self.messagesMetric, [("outcome", "duplicate")], help: Self.messagesHelp)
            return .next
        }
        guard let key = Self.conversationKey(item.contactID, message) else {
            throw TicketConversationError.noSender(messageID: message.id)
        }
        let now = item.now
        let actor = "customer:\(key)"
        // A customer created for this message has no ticket yet (the key is their new public id).
        let latest = item.contactIsNew ? nil : try ConversationTicketTable.latestWithOutletStatus(conversationKey: key,
                                                                                                  in: c)
        var ticket = latest?.ticket
        let outcome: String
        switch ticket?.workflowStatus {
        case _ where message.type == .reaction:
            guard ticket != nil else {
                item.counts.increment(Self.messagesMetric, [("outcome", "skipped_reaction")], help: Self.messagesHelp)
                return .next
            }
            outcome = "attached"
        case .open?:
            outcome = "attached"
        case .pending?:
            try workflow.move(&ticket!, to: .open, actor: actor, now: now, in: c)
            outcome = "attached"
        case .resolved? where now - (ticket!.resolvedAt ?? 0) <= reopenWindowMilliseconds:
            try workflow.move(&ticket!, to: .open, actor: actor, now: now, in: c)
            item.counts.increment("gateway_tickets_reopened_total", Self.routing(ticket!),
                                  help: "Conversation tickets reopened, by kind and queue")
            if let assignment, try ticket!.assignee.map({ try !assignment.isAvailable($0, in: c) }) ?? true {
                try assignment.assign(ticket!.id, kind: ticket!.kind, queue: ticket!.queue, current: ticket!.assignee,
                                      reason: "reopened", now: now, in: c)
            }
            outcome = "reopened"
        default:
            let classification = item.prepared(as: TicketClassifier.Classification.self)
                ?? classifier.classify(message.displayText)
            ticket = try open(for: message, classification, key: key, contactID: item.contactID,
                              queue: item.ticketQueue, actor: actor, now: now, in: c)
            try assignment?.assign(ticket!.id, kind: ticket!.kind, queue: ticket!.queue, current: nil, reason: "opened",
                                   now: now, in: c)
            item.counts.increment("gateway_tickets_opened_total", Self.routing(ticket!),
                                  help: "Conversation tickets opened, by kind and queue")
            outcome = "opened"
        }
        try TicketMessages.insertInbound(message, ticketID: ticket!.id, sender: item.contactID ?? key, now: now, in: c)
        if outcome != "opened" {  // a new ticket was inserted with this message's time
            try ConversationTicketTable.noteCustomerMessage(ticket!.id, sentAt: message.timestamp * 1000, in: c)
        }
        item.counts.increment(Self.messagesMetric, [("outcome", outcome)], help: Self.messagesHelp)
        item.ticketID = ticket!.id
        item.ticketKind = ticket!.kind
        item.ticketLanguage = ticket!.language
        item.ticketStatus = ticket!.status
        item.ticketContactID = ticket!.contactID
        item.ticketOpened = outcome == "opened"
        item.ticketOutletStatus = item.ticketOpened ? openedOutletStatus?.rawValue : latest?.outletStatus?.rawValue
        item.applied = true
        return .next
    }

    /// A new ticket for `message`, of its `classification` (in `queue` when given, else the classification's), with
    /// its SLA clocks started and an `opened` history row.
    private func open(for message: InboundMessage, _ classification: TicketClassifier.Classification, key: String,
                      contactID: String?, queue: String?, actor: String, now: Int64,
                      in c: any DatabaseConnection) throws -> WorkflowTicket {
        let targets = workflow.sla.targets(for: nil)
        let sender = message.profileName ?? message.senderPhone.map { "+\($0)" } ?? message.senderUserID ?? key
        let ticket = try ConversationTicketTable.insert(.init(
            name: String("WhatsApp: \(sender)".prefix(255)), contactID: contactID, conversationKey: key,
            kind: classification.kind, queue: queue ?? classification.queue,
            lastCustomerMessageAt: message.timestamp * 1000, firstResponseDueAt: now + targets.firstResponse,
            resolutionDueAt: now + targets.resolution, language: classification.language,
            channelAccount: message.channelID, outletStatus: openedOutletStatus), now: now,
            observers: openingObservers, in: c)
        let detail = Self.openedDetail.bytes(capacity: 192) { member -> JSONValue in
            switch member {
            case .kind: .string(classification.kind)
            case .queue: JSONValue(ticket.queue)
            case .matched: .array(classification.matched.map { .string($0) })
            case .language: JSONValue(classification.language)
            case .messageID: .string(message.id)
            }
        }
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: "opened", to: TicketStatus.open.rawValue,
                                 writtenDetail: detail, in: c)
        return ticket
    }

    /// The members of the `opened` history row's detail.
    private enum OpenedDetail: Sendable {
        case kind, queue, matched, language, messageID
    }

    /// `{"kind", "language", "matched", "queue", "wa_message_id"}`: written without a dictionary per ticket opened.
    private static let openedDetail = JSONObjectShape<OpenedDetail>([
        ("kind", .kind), ("queue", .queue), ("matched", .matched), ("language", .language),
        ("wa_message_id", .messageID),
    ])

    /// The ticket `message` would simply be attached to: the conversation's newest ticket while it is open or
    /// pending; nil when the message would open or reopen one.
    package static func ongoingTicket(contactID: String?, _ message: InboundMessage,
                              in c: any DatabaseConnection) throws -> WorkflowTicket? {
        guard let key = conversationKey(contactID, message),
              let ticket = try ConversationTicketTable.latest(conversationKey: key, in: c),
              ticket.workflowStatus == .open || ticket.workflowStatus == .pending else { return nil }
        return ticket
    }

    /// The customer, else the sender's own identifier.
    package static func conversationKey(_ contactID: String?, _ m: InboundMessage) -> String? {
        contactID ?? m.senderUserID.map { "bsuid:\($0)" } ?? m.senderPhone.map { "phone:\($0)" }
    }

    private static func routing(_ t: WorkflowTicket) -> [(String, String)] {
        [("kind", t.kind ?? "support"), ("queue", t.queue ?? "support")]
    }

    static let messagesMetric = "gateway_ticket_messages_total"
    static let messagesHelp = "Customer messages handled by the ticket step, by outcome"
}

/// A message the ticket step cannot file (the item fails alone, with this as its error).
enum TicketConversationError: Error, CustomStringConvertible {
    case noSender(messageID: String)

    var description: String {
        switch self {
        case .noSender(let id): return "message \(id) names no sender (neither phone nor BSUID)"
        }
    }
}
