import GatewayKit
/// The counter series ``CommandReporter`` counts, resolved once when the reporter is made: every command counts two
/// to four series, and rendering and hashing their labels per command was a visible share of the writer's
/// completion thread. Each series counts exactly what `MetricsRegistry.increment` with the same name, labels and
/// help text would; a series never counted does not show on `/metrics`.
struct CommandCounters: Sendable {
    private struct CommandKey: Hashable {
        let kind: RecordKind
        let action: RecordCommand.Action.Name
        let origin: CommandOrigin
    }

    private struct CreatedKey: Hashable {
        let creator: CreatorFlag
        let kind: RecordKind
    }

    private struct EventKey: Hashable {
        let event: String
        let outcome: String
    }

    static let eventOutcomes = ["enqueued", "not_propagated"]

    private let metrics: MetricsRegistry
    private let commands: [CommandKey: MetricsRegistry.CounterSeries]
    private let created: [CreatedKey: MetricsRegistry.CounterSeries]
    private let associationFailed: [RecordKind: MetricsRegistry.CounterSeries]
    /// Every event a ``RoomRefresh`` names (`deal.created`, ...) with both outcomes.
    private let events: [EventKey: MetricsRegistry.CounterSeries]

    init(metrics: MetricsRegistry) {
        self.metrics = metrics
        var commands: [CommandKey: MetricsRegistry.CounterSeries] = [:]
        var created: [CreatedKey: MetricsRegistry.CounterSeries] = [:]
        var associationFailed: [RecordKind: MetricsRegistry.CounterSeries] = [:]
        var events: [EventKey: MetricsRegistry.CounterSeries] = [:]
        for kind in RecordKind.allCases {
            for action in RecordCommand.Action.Name.allCases {
                for origin in CommandOrigin.allCases {
                    commands[CommandKey(kind: kind, action: action, origin: origin)] = Self.commandSeries(
                        metrics, kind: kind.rawValue, action: action.rawValue, origin: origin.rawValue)
                }
                for outcome in Self.eventOutcomes {
                    let event = "\(kind.rawValue).\(action.rawValue)"
                    events[EventKey(event: event, outcome: outcome)] = Self.eventSeries(metrics, event, outcome)
                }
            }
            for creator in CreatorFlag.allCases {
                created[CreatedKey(creator: creator, kind: kind)] = Self.createdSeries(metrics, creator, kind.rawValue)
            }
            associationFailed[kind] = Self.associationFailedSeries(metrics, kind.rawValue)
        }
        self.commands = commands
        self.created = created
        self.associationFailed = associationFailed
        self.events = events
    }

    func countCommand(_ command: RecordCommand) {
        let key = CommandKey(kind: command.kind, action: command.action.name, origin: command.origin)
        commands[key]?.increment()
    }

    func countCreated(by creator: CreatorFlag, _ kind: RecordKind) {
        created[CreatedKey(creator: creator, kind: kind)]?.increment()
    }

    func countAssociationFailed(_ kind: RecordKind) {
        associationFailed[kind]?.increment()
    }

    /// An Omnichannel refresh event by outcome; an event no ``RoomRefresh`` names is counted all the same.
    func countEvent(_ event: String, _ outcome: String) {
        if let series = events[EventKey(event: event, outcome: outcome)] {
            series.increment()
        } else {
            Self.eventSeries(metrics, event, outcome).increment()
        }
    }

    // MARK: The series, by name, labels and help text

    private static func commandSeries(_ metrics: MetricsRegistry, kind: String, action: String, origin: String)
        -> MetricsRegistry.CounterSeries {
        metrics.counterSeries("gateway_record_commands_total", [("kind", kind), ("action", action), ("origin", origin)],
                              help: "Deal and ticket commands applied, by kind, action and origin API")
    }

    private static func createdSeries(_ metrics: MetricsRegistry, _ creator: CreatorFlag, _ kind: String)
        -> MetricsRegistry.CounterSeries {
        metrics.counterSeries("gateway_\(creator.eventPrefix)_\(kind)_created_total",
                              help: "Records created by a \(creator.label) creator")
    }

    private static func associationFailedSeries(_ metrics: MetricsRegistry, _ kind: String)
        -> MetricsRegistry.CounterSeries {
        metrics.counterSeries("gateway_contact_association_failed_total", [("kind", kind)],
                              help: "Records written without their contact_id because no such contact exists")
    }

    private static func eventSeries(_ metrics: MetricsRegistry, _ event: String, _ outcome: String)
        -> MetricsRegistry.CounterSeries {
        metrics.counterSeries("gateway_omnichannel_events_total", [("event", event), ("outcome", outcome)],
                              help: "Omnichannel refresh events by event and outcome (enqueued, not_propagated); "
                                  + "delivery failures are gateway_outbound_*{endpoint=\"omnichannel\"}")
    }
}
