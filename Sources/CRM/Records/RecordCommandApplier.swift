import GatewayKit
import Identity
import Storage

/// Applies one record command inside the caller's transaction: the record, its contact association, the room's
/// latest-wins preview, the timeline entry and the Omnichannel event are written together or not at all. Rooms,
/// timeline entries and Omnichannel events are for bot- and AI-created records only.
public struct RecordCommandApplier: Sendable {
    private let links: RecordLinks
    private let refreshes: RoomRefreshPublisher
    private let conversationTickets: any ConversationTicketEditing
    /// Told of every ticket a command creates.
    private let ticketObservers: [any TicketOpeningObserver]
    /// Unix ms: the CRM creation time of new records.
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - conversationTickets: the rules of tickets the support workflow also writes.
    ///   - ticketObservers: what every new ticket writes besides its row (the same list as the workflow's).
    public init(links: RecordLinks, refreshes: RoomRefreshPublisher,
                conversationTickets: any ConversationTicketEditing, ticketObservers: [any TicketOpeningObserver],
                clock: @escaping @Sendable () -> Int64) {
        self.links = links
        self.refreshes = refreshes
        self.conversationTickets = conversationTickets
        self.ticketObservers = ticketObservers
        self.clock = clock
    }

    /// - Throws: ``CommandRejection`` when the command must change nothing, or the store's error.
    public func apply(_ command: RecordCommand, in connection: any DatabaseConnection) throws -> AppliedCommand {
        let now = clock()
        let table = RecordTable.of(command.kind)
        switch command.action {
        case .create: return try create(command, table, now, connection)
        case .update(let reference): return try update(reference, command, table, now, connection)
        case .delete(let reference): return try delete(reference, command, table, now, connection)
        }
    }

    private func create(_ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: any DatabaseConnection) throws -> AppliedCommand {
        let input = command.input
        var effects = CommandEffects()
        var contactID: String?
        if let candidate = input.contactID {
            if try KnownContacts.exists(candidate, in: connection) { contactID = candidate } else {
                effects.unknownContactID = candidate
            }
        }
        let record = try table.insert(fields: input.fields, roomID: input.roomID, contactID: contactID,
                                      creatorFlag: input.creatorFlag, source: input.source ?? command.origin.rawValue,
                                      origin: command.origin, now: now, in: connection)
        if command.kind == .ticket {
            // Bot and API tickets never come with a channel: the workflow's conversation tickets have theirs.
            try ticketObservers.announce(OpenedTicket(id: record.id, channel: nil, at: now), in: connection)
        }
        if let roomID = record.roomID {
            if record.creator == nil {
                effects.refresh = Self.notFromBotOrAI(.created(record))
            } else {
                try TimelineTable.insert(for: record, deeplink: links.roomDeeplink(roomID), in: connection)
                effects.wroteTimelineEntry = true
                effects.refresh = try RoomPreviewTable.offer(record, in: connection)
                    ? try publish(.created(record), command, now, connection)
                    : .notPropagated(event: RoomRefresh.created(record).eventName, reason: "superseded_in_room")
            }
        }
        return AppliedCommand(status: 201, record: record, effects: effects)
    }

    private func update(_ reference: RecordReference, _ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: any DatabaseConnection) throws -> AppliedCommand {
        var record = try existing(reference, command, table, connection)
        let input = command.input
        var writeOnce = FieldValidator([:], prefix: command.payloadPath)
        if let roomID = input.roomID, roomID != record.roomID {
            writeOnce.fail("room_id", "is set when the \(command.kind.rawValue) is created and cannot be changed")
        }
        if let source = input.source, source != record.source {
            writeOnce.fail("source", "is kept as given at creation and cannot be changed")
        }
        guard writeOnce.errors.isEmpty else { throw CommandRejection(.validation(writeOnce.errors)) }

        var effects = CommandEffects()
        var changed: [String] = []
        for field in command.kind.fields {
            if let value = input.fields[field.name], value != record.fields[field.name] {
                record.fields[field.name] = value
                changed.append(field.name)
            }
        }
        if record.isConversationTicket {
            try conversationTickets.check(changed, payloadPath: command.payloadPath)
        }
        if let candidate = input.contactID, candidate != record.contactID {
            if record.contactID != nil {
                effects.keptContact = true
            } else if try KnownContacts.exists(candidate, in: connection) {
                record.contactID = candidate
                changed.append("contact_id")
            } else {
                effects.unknownContactID = candidate
            }
        }
        guard !changed.isEmpty else {
            effects.unchanged = true
            return AppliedCommand(status: 200, record: record, effects: effects)
        }
        record.version += 1
        record.updatedAt = now
        try table.update(record, in: connection)
        if record.isConversationTicket {
            try conversationTickets.recordUpdate(record.id, changed: changed, command, now: now, in: connection)
        }
        let displayed = changed.filter(command.kind.previewFields.contains)
        if !displayed.isEmpty, record.roomID != nil {
            let refresh = RoomRefresh.updated(record, changed: displayed)
            if record.creator == nil {
                effects.refresh = Self.notFromBotOrAI(refresh)
            } else if try RoomPreviewTable.isShowing(record, in: connection) {
                effects.refresh = try publish(refresh, command, now, connection)
            }
        }
        return AppliedCommand(status: 200, record: record, effects: effects)
    }

    private func delete(_ reference: RecordReference, _ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: any DatabaseConnection) throws -> AppliedCommand {
        guard var record = try find(reference, command, table, connection) else {
            throw CommandRejection(.notFound("no \(command.kind.rawValue) with \(reference)"))
        }
        var effects = CommandEffects()
        guard try table.markDeleted(record.id, now: now, in: connection) else {
            // Deleting is idempotent: the record is gone either way, and nothing is sent again.
            effects.unchanged = true
            return AppliedCommand(status: 204, record: nil, effects: effects)
        }
        record.deletedAt = now
        if record.isConversationTicket {
            try conversationTickets.recordDelete(record.id, command, now: now, in: connection)
        }
        if record.roomID != nil {
            if record.creator == nil {
                effects.refresh = Self.notFromBotOrAI(.deleted(record))
            } else if try RoomPreviewTable.clear(record, now: now, in: connection) {
                effects.refresh = try publish(.deleted(record), command, now, connection)
            }
        }
        return AppliedCommand(status: 204, record: nil, effects: effects)
    }

    /// A live (not deleted) record, or a 404 rejection.
    private func existing(_ reference: RecordReference, _ command: RecordCommand, _ table: RecordTable,
                          _ connection: any DatabaseConnection) throws -> StoredRecord {
        let kind = command.kind.rawValue
        guard let record = try find(reference, command, table, connection) else {
            throw CommandRejection(.notFound("no \(kind) with \(reference)"))
        }
        guard !record.isDeleted else { throw CommandRejection(.notFound("\(kind) \(record.id) was deleted")) }
        return record
    }

    /// The record `reference` names, deleted ones included. An id and a unique id that name different records are
    /// refused, naming both fields.
    private func find(_ reference: RecordReference, _ command: RecordCommand, _ table: RecordTable,
                      _ connection: any DatabaseConnection) throws -> StoredRecord? {
        guard let id = reference.id else { return try table.find(uniqueID: reference.uniqueID ?? "", in: connection) }
        let record = try table.find(id, in: connection)
        if let uniqueID = reference.uniqueID, let record, record.uniqueID != uniqueID {
            var errors = FieldValidator([:], prefix: command.payloadPath)
            errors.fail(reference.uniqueIDField, "names another \(command.kind.rawValue) than id \(id)")
            throw CommandRejection(.validation(errors.errors))
        }
        return record
    }

    /// Writes the Omnichannel event of a change to what a room shows. Only records created by a bot or AI (their
    /// stored `creator_flag`) ever take a room's slot, so who makes the change does not matter: an agent's CRM edit
    /// or delete of a bot-created deal reaches the room too.
    private func publish(_ refresh: RoomRefresh, _ command: RecordCommand, _ now: Int64,
                         _ connection: any DatabaseConnection) throws -> CommandEffects.Refresh {
        try refreshes.enqueue(refresh, traceparent: command.traceparent, now: now, in: connection)
        return .enqueued(event: refresh.eventName)
    }

    /// A record created without a bot or AI `creator_flag` (by hand, or by another automation) keeps its `room_id` as
    /// data only: it never takes the room's slot, gets no timeline entry and sends nothing to Omnichannel. Its
    /// changes are counted and logged as not propagated, so the gap is visible.
    private static func notFromBotOrAI(_ refresh: RoomRefresh) -> CommandEffects.Refresh {
        .notPropagated(event: refresh.eventName, reason: "creator_not_bot_or_ai")
    }
}
