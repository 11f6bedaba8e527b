import Storage

/// Applies one record command inside the caller's transaction: the record, its contact association, the room's
/// latest-wins preview, the timeline entry and the Omnichannel event are written together or not at all.
public struct RecordCommandApplier: Sendable {
    private let links: RecordLinks
    private let refreshes: RoomRefreshPublisher
    /// Unix ms: the CRM creation time of new records.
    private let clock: @Sendable () -> Int64

    public init(links: RecordLinks, refreshes: RoomRefreshPublisher, clock: @escaping @Sendable () -> Int64) {
        self.links = links
        self.refreshes = refreshes
        self.clock = clock
    }

    /// - Throws: ``CommandRejection`` when the command must change nothing, or the store's error.
    public func apply(_ command: RecordCommand, in connection: SQLiteConnection) throws -> AppliedCommand {
        let now = clock()
        let table = RecordTable.of(command.kind)
        switch command.action {
        case .create: return try create(command, table, now, connection)
        case .update(let id): return try update(id, command, table, now, connection)
        case .delete(let id): return try delete(id, command, table, now, connection)
        }
    }

    private func create(_ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: SQLiteConnection) throws -> AppliedCommand {
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
        if let roomID = record.roomID {
            try TimelineTable.insert(for: record, deeplink: links.roomDeeplink(roomID), in: connection)
            effects.wroteTimelineEntry = true
            let shown = try RoomPreviewTable.offer(record, in: connection)
            effects.refresh = try propagate(.created(record), command, now, connection, superseded: !shown)
        }
        return AppliedCommand(status: 201, record: record, effects: effects)
    }

    private func update(_ id: Int64, _ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: SQLiteConnection) throws -> AppliedCommand {
        var record = try existing(id, command.kind, table, connection)
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
            try ConversationTicketEdits.check(changed, payloadPath: command.payloadPath)
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
            try ConversationTicketEdits.recordUpdate(record.id, changed: changed, command, now: now, in: connection)
        }
        let displayed = changed.filter(command.kind.previewFields.contains)
        if !displayed.isEmpty, try RoomPreviewTable.isShowing(record, in: connection) {
            effects.refresh = try propagate(.updated(record, changed: displayed), command, now, connection)
        }
        return AppliedCommand(status: 200, record: record, effects: effects)
    }

    private func delete(_ id: Int64, _ command: RecordCommand, _ table: RecordTable, _ now: Int64,
                        _ connection: SQLiteConnection) throws -> AppliedCommand {
        guard var record = try table.find(id, in: connection) else {
            throw CommandRejection(.notFound("no \(command.kind.rawValue) with id \(id)"))
        }
        var effects = CommandEffects()
        guard try table.markDeleted(id, now: now, in: connection) else {
            // Deleting is idempotent: the record is gone either way, and nothing is sent again.
            effects.unchanged = true
            return AppliedCommand(status: 204, record: nil, effects: effects)
        }
        record.deletedAt = now
        if record.isConversationTicket {
            try ConversationTicketEdits.recordDelete(record.id, command, now: now, in: connection)
        }
        if try RoomPreviewTable.clear(record, now: now, in: connection) {
            effects.refresh = try propagate(.deleted(record), command, now, connection)
        }
        return AppliedCommand(status: 204, record: nil, effects: effects)
    }

    /// A live (not deleted) record, or a 404 rejection.
    private func existing(_ id: Int64, _ kind: RecordKind, _ table: RecordTable,
                          _ connection: SQLiteConnection) throws -> StoredRecord {
        guard let record = try table.find(id, in: connection) else {
            throw CommandRejection(.notFound("no \(kind.rawValue) with id \(id)"))
        }
        guard !record.isDeleted else { throw CommandRejection(.notFound("\(kind.rawValue) \(id) was deleted")) }
        return record
    }

    /// Sends `refresh` when the command's actor is a bot or AI (seed row 9) and the record holds its room
    /// (`superseded`: a newer record already does).
    private func propagate(_ refresh: RoomRefresh, _ command: RecordCommand, _ now: Int64,
                           _ connection: SQLiteConnection, superseded: Bool = false) throws -> CommandEffects.Refresh {
        guard command.actor != nil else {
            return .notPropagated(event: refresh.eventName, reason: "actor_not_bot_or_ai")
        }
        guard !superseded else { return .notPropagated(event: refresh.eventName, reason: "superseded_in_room") }
        try refreshes.enqueue(refresh, traceparent: command.traceparent, now: now, in: connection)
        return .enqueued(event: refresh.eventName)
    }
}
