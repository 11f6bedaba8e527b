import Storage

/// Migration 48: what agents reuse while working tickets — canned replies (a text with variables, optionally the
/// approved template sent instead outside the 24-hour window) and the internal knowledge-base articles.
enum DeskContentMigration {
    static let migration = Migration(version: 48, name: "canned replies and knowledge base", sql: """
        -- One canned reply per name and language (en, ms): the BM copy of a reply is its own row with the same name.
        -- text holds {{variable}} placeholders from CannedReplyVariables; template_parameters is a JSON array of
        -- strings with the same placeholders, filled in order into the template's {{1}}, {{2}}, ...
        -- tags: JSON array of strings.
        CREATE TABLE canned_replies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('en', 'ms')),
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            template_name TEXT,
            template_parameters TEXT,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (name, language)
        );

        -- Internal articles agents look up (never sent to customers as such); tags: JSON array of strings.
        CREATE TABLE kb_articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """)
}
