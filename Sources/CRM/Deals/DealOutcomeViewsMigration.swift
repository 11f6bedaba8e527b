import Storage

/// Migration 42: `contact_deal_totals` gains each contact's `won` and `lost` deals and `conversion_days_avg`. A deal
/// is won when its stage says so (`won`, `closed won`, `Closed-Won`: the stage names the word "won" and not "lost"),
/// lost likewise; a won deal converted when it last changed (a won deal is rarely touched again), so
/// `conversion_days_avg` is the average of (updated_at − created_at) over won deals, in days.
enum DealOutcomeViewsMigration {
    static let migration = Migration(version: 42, name: "deal outcomes view", sql: """
        DROP VIEW contact_deal_totals;
        CREATE VIEW contact_deal_totals AS
            SELECT contact_id, count(*) AS deals, sum(size) AS total_size,
                   sum(outcome IS 'won') AS won, sum(outcome IS 'lost') AS lost,
                   avg(CASE WHEN outcome = 'won' THEN (updated_at - created_at) / 86400000.0 END) AS conversion_days_avg
            FROM (SELECT contact_id, size, created_at, updated_at,
                         CASE WHEN ' ' || lower(replace(replace(stage, '-', ' '), '_', ' ')) || ' ' LIKE '% won %'
                              THEN 'won'
                              WHEN ' ' || lower(replace(replace(stage, '-', ' '), '_', ' ')) || ' ' LIKE '% lost %'
                              THEN 'lost' END AS outcome
                  FROM deals WHERE deleted_at IS NULL AND contact_id IS NOT NULL)
            GROUP BY contact_id;
        """, postgres: .replacing([
            .init("sum(outcome IS 'won')", with: "sum((outcome IS NOT DISTINCT FROM 'won')::int)"),
            .init("sum(outcome IS 'lost')", with: "sum((outcome IS NOT DISTINCT FROM 'lost')::int)"),
            .init("contact_id IS NOT NULL)", with: "contact_id IS NOT NULL) AS d"),
        ]))
}
