import Delivery
import GatewayKit
import Storage

/// Runs record commands synchronously for the webhooks and the REST API: one writer operation checks the replay
/// ledger, applies the command and stores its answer, so a repeat is answered from the ledger and applied once.
/// Group commit batches concurrent commands into one transaction; each command has its own savepoint, so a
/// rejected one rolls back alone.
public final class RecordCommandService: Sendable {
    private let database: any Database
    private let applier: RecordCommandApplier
    private let reporter: CommandReporter
    /// How records link to their room and conversation in answers.
    public let links: RecordLinks
    /// Called once after each commit that wrote timeline entries (wakes the preview fetch).
    private let onTimelineEntries: @Sendable () -> Void

    public init(database: any Database, applier: RecordCommandApplier, reporter: CommandReporter, links: RecordLinks,
                onTimelineEntries: @escaping @Sendable () -> Void) {
        self.database = database
        self.applier = applier
        self.reporter = reporter
        self.links = links
        self.onTimelineEntries = onTimelineEntries
    }

    private enum Outcome: Sendable {
        case replayed(CommandReply)
        case applied(AppliedCommand, CommandReply)
    }

    /// Applies `command` (or answers from `ledger`); `completion` runs on the writer's completion thread after the
    /// commit.
    /// `addendum` is written with an applied command (not with an answer from the ledger).
    public func execute(_ command: RecordCommand, ledger: (any ReplayLedger)?, addendum: Addendum<AppliedCommand>? = nil,
                        completion: @escaping @Sendable (Result<CommandReply, GatewayError>) -> Void) {
        let applier = self.applier
        let links = self.links
        let onTimelineEntries = self.onTimelineEntries
        database.write({ connection -> Outcome in
            if let stored = try ledger?.storedReply(in: connection) { return .replayed(stored) }
            let applied = try applier.apply(command, in: connection)
            try addendum?(applied, connection)
            if applied.effects.wroteTimelineEntry { connection.afterCommit("timeline.wake", onTimelineEntries) }
            let reply = CommandReply(status: applied.status,
                                     body: applied.record.map { $0.jsonBytes(links) } ?? [])
            try ledger?.record(reply, in: connection)
            return .applied(applied, reply)
        }, completion: { [reporter] result in
            switch result {
            case .success(.replayed(let reply)):
                completion(.success(reply))
            case .success(.applied(let applied, let reply)):
                reporter.report(command, applied)
                completion(.success(reply))
            case .failure(let rejection as CommandRejection):
                completion(.failure(rejection.error))
            case .failure(let error):
                completion(.failure(GatewayError.storage(error)))
            }
        })
    }
}
