/// PostgreSQL forms of the triggers migrations write for SQLite, whose triggers hold their statements inline while
/// PostgreSQL's call a function.
public enum PostgresTrigger {
    /// A trigger `name` refusing updates of `table`'s rows (those meeting `condition` over `OLD`/`NEW`, else every
    /// one) with `message`, as SQLite's `SELECT RAISE(ABORT, message)` does; the refusal is a constraint violation.
    public static func refusingUpdates(name: String, table: String, when condition: String? = nil,
                                       message: String) -> String {
        """
        CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '\(message)' USING ERRCODE = 'integrity_constraint_violation';
        END $$;
        CREATE TRIGGER \(name) BEFORE UPDATE ON \(table) FOR EACH ROW\(condition.map { " WHEN (\($0))" } ?? "")
            EXECUTE FUNCTION \(name)();
        """
    }
}
