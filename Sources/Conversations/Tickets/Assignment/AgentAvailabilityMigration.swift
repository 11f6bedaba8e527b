import Storage

/// Migration 45: who is taking tickets now (`agent_availability`, by actor name: a user's email) and, per queue, whom
/// round-robin assignment gave the last ticket (`assignment_turns`).
enum AgentAvailabilityMigration {
    static let migration = Migration(version: 45, name: "agent availability", sql: """
        CREATE TABLE agent_availability (
            actor TEXT PRIMARY KEY COLLATE NOCASE,
            available INTEGER NOT NULL,
            changed_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE assignment_turns (
            queue TEXT PRIMARY KEY,
            last_actor TEXT NOT NULL
        ) WITHOUT ROWID;
        """)
}
