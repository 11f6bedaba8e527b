import Foundation
import Storage

/// What a schema is made of, by name, for comparing the two engines: each table's and view's columns, the indexes
/// migrations create (not the ones constraints imply, which each engine names its own way) and the triggers.
struct SchemaShape {
    var columns: [String: Set<String>] = [:]
    var indexes: Set<String> = []
    var triggers: Set<String> = []

    /// The schema the migration lists build on SQLite, each list in a database of its own (as the store keeps them).
    init(sqliteMigrations lists: [[Migration]]) throws {
        for migrations in lists {
            let connection = try SQLiteConnection(path: ":memory:")
            _ = try Migrator.migrate(connection, migrations: migrations)
            let objects = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            for object in try connection.query(objects) {
                guard let name = object.string("name") else { continue }
                switch object.string("type") {
                case "table", "view":
                    columns[name] = Set(try connection.query("SELECT name FROM pragma_table_info(?)", [.text(name)])
                        .compactMap { $0.string("name") })
                case "index" where object.string("sql") != nil: indexes.insert(name)
                case "trigger": triggers.insert(name)
                default: break
                }
            }
        }
    }

    /// The schema of `database`'s `public` namespace.
    init(postgres database: PostgresDatabase) throws {
        try database.read { c in
            let columnsQuery = """
                SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
                """
            for row in try c.query(columnsQuery) {
                guard let table = row.string("table_name"), let column = row.string("column_name") else { continue }
                columns[table, default: []].insert(column)
            }
            indexes = Set(try c.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
                .compactMap { $0.string("indexname") })
            triggers = Set(try c.query("""
                SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public'
                """).compactMap { $0.string("trigger_name") })
        }
    }
}
