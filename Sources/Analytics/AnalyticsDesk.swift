import Access
import Foundation
import GatewayKit
import Storage

/// The figures `/v1/analytics/…` answers with, by the path segment that names them.
public enum AnalyticsFigure: String, Sendable, CaseIterable {
    case tickets
    case responseTimes = "response-times"
    case backlog
    case csat
    case outlets
    case renewals
    case leads

    /// What the figure can be grouped by besides time.
    public var dimensions: [AnalyticsDimension] {
        switch self {
        case .tickets, .responseTimes: return [.category, .queue, .agent, .outlet, .channel, .kind, .keyword]
        case .csat: return [.category, .queue, .agent, .outlet, .channel]
        case .backlog, .outlets, .renewals, .leads: return []
        }
    }
}

/// The support desk's figures over the rollups, each for a caller's outlet scope: a scoped caller's figures count only
/// the tickets and renewals of its outlets (tickets linked to no outlet are for unrestricted callers only).
public final class AnalyticsDesk: Sendable {
    public let rollups: AnalyticsRollups
    private let database: any Database
    private let settings: AnalyticsSettings
    private let clock: @Sendable () -> Int64

    public init(database: any Database, rollups: AnalyticsRollups, settings: AnalyticsSettings,
                clock: @escaping @Sendable () -> Int64) {
        self.database = database
        self.rollups = rollups
        self.settings = settings
        self.clock = clock
    }

    /// `figure` for the query `parameters`; bad parameters throw ``GatewayError/validation(_:)`` naming each.
    public func figures(_ figure: AnalyticsFigure, parameters: [String: String], scope: AccessScope) throws -> JSONValue {
        let now = clock()
        let query: AnalyticsQuery
        switch AnalyticsQuery.parse(parameters, dimensions: figure.dimensions, settings: settings, now: now) {
        case .success(let value): query = value
        case .failure(let error): throw error
        }
        try rollups.catchUp()
        let condition = scope.condition(fid: "fid", oid: "oid")
        let settings = self.settings
        return try database.read { c in
            switch figure {
            case .tickets: return try TicketFigures.json(.volume, query, scope: condition, in: c)
            case .responseTimes: return try TicketFigures.json(.responseTimes, query, scope: condition, in: c)
            case .csat: return try TicketFigures.json(.csat, query, scope: condition, in: c)
            case .backlog: return try BacklogFigures.json(query, now: now, scope: condition, in: c)
            case .outlets:
                return try OutletFigures.json(query, threshold: settings.highTouchTickets, scope: condition, in: c)
            case .renewals:
                return try RenewalFigures.json(query, winbackAfterDays: settings.winbackAfterDays, now: now,
                                               scope: condition, in: c)
            case .leads: return try LeadFigures.json(query, scope: condition, in: c)
            }
        }
    }
}
