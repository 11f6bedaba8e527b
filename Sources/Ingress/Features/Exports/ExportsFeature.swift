import Access
import Analytics
import CRM
import Configuration
import Conversations
import Delivery
import GatewayKit
import Retail

/// CSV exports (`GET /v1/exports/{kind}.csv`): the tables each module provides for its own rows, streamed.
struct ExportsFeature: Feature {
    private let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
    }

    /// Every export kind served, one module's tables per line. This is where a kind is added: a module provides an
    /// ``ExportTable`` for its rows (usually a ``KeysetExport``) and it is listed here.
    var tables: [any ExportTable] {
        let database = context.store.database
        return [TicketExport.table(database: database)]
            + ConversationExports.tables(database: database)
            + RenewalExports.tables(database: database)
            + [AuditExport.table(database: database)]
    }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let analytics = context.config.analytics
        ExportRoutes(catalog: ExportCatalog(tables), timeZone: .named(analytics.timeZone),
                     maxRangeDays: analytics.maxRangeDays, clock: context.clock).register(in: &router)
    }
}

/// The export kinds by name; two tables with one name are a wiring mistake, refused at start.
struct ExportCatalog: Sendable {
    let tables: [String: any ExportTable]

    init(_ list: [any ExportTable]) {
        tables = Dictionary(list.map { ($0.kind, $0) }) { first, _ in
            preconditionFailure("two export tables are named \(first.kind)")
        }
    }

    /// The kinds, sorted, for error messages and documentation.
    var kinds: [String] { tables.keys.sorted() }
}
