/// SQLite counts rows meeting a condition with `sum(condition)`, a comparison being the integer 1 or 0 there;
/// PostgreSQL's comparisons are booleans, which it sums only once cast (`sum((condition)::int)`).
public enum PostgresCounts {
    /// For each condition, the replacement of `sum(condition)` by its PostgreSQL form.
    public static func booleanSums(_ conditions: [String]) -> [Migration.Replacement] {
        conditions.map { .init("sum(\($0))", with: "sum((\($0))::int)") }
    }
}
