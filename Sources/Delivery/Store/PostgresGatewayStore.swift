import Foundation
import GatewayKit
import Storage

/// The store on a PostgreSQL server (`store.driver = postgres`): one ``PostgresDatabase`` pool at
/// `store.database_url`, which several gateway instances may share, with the inbox log as tables of the same
/// database (its schema under a ledger of its own, `inbox_log_migrations`). Readiness asks the server first, with a
/// short timeout, so `/readyz` says the database is unreachable rather than hanging.
public final class PostgresGatewayStore: GatewayStore, @unchecked Sendable {
    public static let inboxLogLedger = "inbox_log_migrations"
    public let postgres: PostgresDatabase
    public var database: any Database { postgres }
    public let inboxLog: InboxLog
    private let settings: StoreSettings

    /// Connects and applies the pending ones of `migrations` and of the inbox log's.
    public init(config: StoreSettings, migrations: [Migration]) throws {
        settings = config
        postgres = try PostgresDatabase(config.databaseURL, poolSize: config.poolSize)
        do {
            _ = try Self.apply(migrations, to: postgres)
        } catch {
            postgres.close()
            throw error
        }
        inboxLog = InboxLog(database: postgres)
    }

    /// Applies pending migrations without starting anything (`gateway migrate`); the gateway's versions applied.
    public static func migrate(config: StoreSettings, migrations: [Migration]) throws -> [Int] {
        let database = try PostgresDatabase(config.databaseURL, poolSize: 1)
        defer { database.close() }
        return try apply(migrations, to: database)
    }

    private static func apply(_ migrations: [Migration], to database: PostgresDatabase) throws -> [Int] {
        _ = try PostgresMigrator.migrate(database, migrations: InboxLog.migrations, ledger: inboxLogLedger)
        return try PostgresMigrator.migrate(database, migrations: migrations)
    }

    public func notReadyReason() -> String? {
        if let reason = postgres.unreachableReason(timeoutMilliseconds: settings.readinessTimeoutMilliseconds) {
            return "the database does not answer: \(reason)"
        }
        if let reason = StoreReadiness.notReadyReason(of: database, settings: settings) { return reason }
        if let reason = StoreReadiness.notReadyReason(of: inboxLog, settings: settings) { return "inbox log: " + reason }
        return nil
    }

    public func close() {
        postgres.close()
    }
}
