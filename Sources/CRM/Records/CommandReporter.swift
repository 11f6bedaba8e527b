import GatewayKit
/// Turns applied record commands into their observability events (logs and `/metrics` counters), after the
/// transaction committed, so nothing is counted for a change that rolled back.
///
/// Counters: `gateway_bot_deal_created_total`, `gateway_ai_deal_created_total`, `gateway_bot_ticket_created_total`,
/// `gateway_ai_ticket_created_total`, `gateway_record_commands_total{kind,action,origin}`,
/// `gateway_contact_association_failed_total{kind}`, `gateway_omnichannel_events_total{event,outcome}`.
public struct CommandReporter: Sendable {
    private let counters: CommandCounters
    private let log: EventLog

    public init(metrics: MetricsRegistry, log: EventLog) {
        counters = CommandCounters(metrics: metrics)
        self.log = log
    }

    public func report(_ command: RecordCommand, _ applied: AppliedCommand) {
        let kind = command.kind.rawValue
        counters.countCommand(command)
        let idField = command.kind.idParameter
        let reference = command.action.reference
        let recordID = applied.record.map { String($0.id) } ?? reference?.id.map { String($0) } ?? reference?.uniqueID ?? ""
        if command.action == .create, let record = applied.record, let creator = record.creator {
            let event = "\(creator.eventPrefix)_\(kind)_created"
            counters.countCreated(by: creator, command.kind)
            log.info(event, [idField: recordID, "room_id": record.roomID ?? "", "creator_flag": creator.rawValue,
                             "contact_id_present": String(command.input.contactID != nil), "source": record.source])
        }
        if let contactID = applied.effects.unknownContactID {
            counters.countAssociationFailed(command.kind)
            log.warning("contact_association_failed", [idField: recordID, "contact_id": contactID,
                                                       "reason": "contact_not_found"])
        }
        if applied.effects.keptContact {
            log.info("contact_association_kept", [idField: recordID, "reason": "record_already_has_a_contact"])
        }
        switch applied.effects.refresh {
        case .none:
            break
        case .enqueued(let event):
            counters.countEvent(event, "enqueued")
        case .notPropagated(let event, let reason):
            counters.countEvent(event, "not_propagated")
            log.info("omnichannel_event_not_propagated", ["refresh_event": event, idField: recordID,
                                                          "creator_flag": applied.record?.creatorFlag
                                                              ?? command.input.creatorFlag ?? "",
                                                          "reason": reason])
        }
    }
}

extension RecordCommand.Action {
    /// The record an update or delete names.
    public var reference: RecordReference? {
        switch self {
        case .create: return nil
        case .update(let reference), .delete(let reference): return reference
        }
    }
}
