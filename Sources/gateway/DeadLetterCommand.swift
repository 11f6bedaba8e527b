import Access
import Configuration
import Delivery
import Foundation
import GatewayKit
import Storage

/// `gateway dlq list|replay|purge`: the dead-letter table from the command line. Safe while `gateway serve` runs on
/// the same database (SQLite serialises the writes); a running server notices replayed rows within its
/// `outbound.poll_interval`.
enum DeadLetterCommand {
    static let usage = """
          dlq list   [--endpoint E] [--since T] [--limit N]   newest dead letters first (T: RFC 3339 or 24h, 7d)
          dlq replay <id> | --all [--endpoint E]             back to the outbox, same idempotency key
          dlq purge  --older-than D                          delete dead letters older than D (7d, 12h)
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        let action = options.positional.first ?? ""
        let allowed: (values: Set<String>, flags: Set<String>, arguments: Int)
        switch action {
        case "list": allowed = (["endpoint", "since", "limit"], [], 0)
        case "replay": allowed = (["endpoint"], ["all"], 1)
        case "purge": allowed = (["older-than"], [], 0)
        default: return usageError("dlq needs list, replay or purge")
        }
        if let extra = options.values.keys.first(where: { !allowed.values.contains($0) })
            ?? options.flags.first(where: { !allowed.flags.contains($0) }) {
            return usageError("dlq \(action) does not take --\(extra)")
        }
        guard options.positional.count - 1 <= allowed.arguments else {
            return usageError("dlq \(action): unexpected argument \(options.positional.last ?? "")")
        }
        guard let store = GatewayCLI.openStore(config) else { return 1 }
        defer { store.close() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            switch action {
            case "list": return try list(options, store: store, now: now)
            case "replay": return try replay(options, store: store, now: now)
            default: return try purge(options, store: store, now: now)
            }
        } catch {
            GatewayCLI.printError("dlq \(action) failed: \(error)")
            return 1
        }
    }

    private static func list(_ options: CLIOptions, store: any GatewayStore, now: Int64) throws -> Int32 {
        var query = DeadLetterQuery(endpoint: options.values["endpoint"].map { EndpointName($0) })
        if let since = options.values["since"] {
            guard let millis = TimeFilter.sinceMillis(since, now: now) else {
                return usageError("--since must be an RFC 3339 time or a duration such as 24h")
            }
            query.sinceMillis = millis
        }
        if let limit = options.values["limit"] {
            guard let value = Int(limit), (1...DeadLetterQuery.maxLimit).contains(value) else {
                return usageError("--limit must be between 1 and \(DeadLetterQuery.maxLimit)")
            }
            query.limit = value
        }
        let page = try store.read { try DeadLetterStore.list(query, in: $0) }
        guard !page.items.isEmpty else {
            print("no dead letters")
            return 0
        }
        print(["ID", "DEAD_AT", "ENDPOINT", "REASON", "ERROR_CLASS", "STATUS", "ATTEMPTS", "IDEMPOTENCY_KEY", "LAST_ERROR"]
            .joined(separator: "\t"))
        for letter in page.items {
            print([String(letter.id), DeadLetter.timestamp(letter.deadAt), letter.endpoint.rawValue, letter.reason,
                   letter.errorClass, letter.lastStatus.map(String.init) ?? "-", String(letter.attempts),
                   letter.idempotencyKey, letter.lastError ?? "-"].joined(separator: "\t"))
        }
        if page.nextCursor != nil {
            print("(\(page.items.count) shown; more match: narrow with --endpoint/--since or raise --limit)")
        }
        return 0
    }

    private static func replay(_ options: CLIOptions, store: any GatewayStore, now: Int64) throws -> Int32 {
        let all = options.flags.contains("all")
        let id = options.positional.dropFirst().first
        switch (id, all) {
        case (nil, true):
            let endpoint = options.values["endpoint"].map { EndpointName($0) }
            let count = try store.database.write { c in
                let count = try DeadLetterStore.replayAll(endpoint: endpoint, now: now, in: c)
                var detail: [String: JSONValue] = ["count": .integer(Int64(count))]
                detail.put("endpoint", endpoint?.rawValue)
                try AuditTrail.record(AuditEntry(action: "dead_letter.replayed_all", subjectType: "dead_letter",
                                                 subjectID: nil, detail: detail), by: .commandLine, at: now, in: c)
                return count
            }
            print("replayed \(count) dead letter\(count == 1 ? "" : "s")")
            return 0
        case (let text?, false):
            guard let id = Int64(text), id > 0 else { return usageError("dlq replay: \(text) is not a dead-letter id") }
            guard options.values["endpoint"] == nil else { return usageError("--endpoint goes with --all") }
            let replayed = try store.database.write { c -> Int64? in
                guard let outboxID = try DeadLetterStore.replay(id: id, now: now, in: c) else { return nil }
                try AuditTrail.record(AuditEntry(action: "dead_letter.replayed", subjectType: "dead_letter",
                                                 subjectID: String(id), detail: ["outbox_id": .integer(outboxID)]),
                                      by: .commandLine, at: now, in: c)
                return outboxID
            }
            guard let outboxID = replayed else {
                GatewayCLI.printError("no dead letter with id \(id)")
                return 1
            }
            print("replayed dead letter \(id) as outbox row \(outboxID)")
            return 0
        default:
            return usageError("dlq replay takes either an id or --all")
        }
    }

    private static func purge(_ options: CLIOptions, store: any GatewayStore, now: Int64) throws -> Int32 {
        guard let text = options.values["older-than"], let age = DurationText.milliseconds(text) else {
            return usageError("dlq purge needs --older-than D, e.g. 7d or 12h")
        }
        let count = try store.database.write { c in
            let count = try DeadLetterStore.purge(deadBefore: now - Int64(age), in: c)
            try AuditTrail.record(AuditEntry(action: "dead_letter.purged", subjectType: "dead_letter", subjectID: nil,
                                             detail: ["count": .integer(Int64(count)), "older_than": .string(text)]),
                                  by: .commandLine, at: now, in: c)
            return count
        }
        print("purged \(count) dead letter\(count == 1 ? "" : "s") older than \(text)")
        return 0
    }

    private static func usageError(_ message: String) -> Int32 {
        GatewayCLI.printError("\(message)\n\n\(GatewayCLI.usage)")
        return 64
    }
}
