import Access
import Delivery
import GatewayKit
import Storage

/// The internal knowledge base (`kb_articles`): articles agents look up while working tickets, searched
/// case-insensitively over title, body and tags. Every change is audited in its transaction.
public struct KnowledgeBase: Sendable {
    private let database: any Database
    private let writes: DeskContentWrites

    public init(database: any Database) {
        self.database = database
        writes = DeskContentWrites(database: database, subject: "kb_article")
    }

    /// Newest change first.
    public func search(_ search: DeskSearch) throws -> [KnowledgeArticle] {
        let condition = search.condition(over: ["title", "body", "tags"])
        return try database.read { c in
            try c.query("SELECT * FROM kb_articles WHERE \(condition.sql) ORDER BY updated_at DESC, id DESC",
                        condition.parameters).map(KnowledgeArticle.init)
        }
    }

    public func article(_ id: Int64) throws -> KnowledgeArticle? {
        try database.read { c in
            try c.queryOne("SELECT * FROM kb_articles WHERE id = ?", [.integer(id)]).map(KnowledgeArticle.init)
        }
    }

    public func create(_ article: KnowledgeArticle, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        writes.write("created", by: caller, now: now, { c in
            try c.run("INSERT INTO kb_articles (title, body, tags, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                      [.text(article.title), .text(article.body), DeskTags.sql(article.tags), .text(caller.actor),
                       .integer(now), .integer(now)])
            var saved = article
            saved.id = c.lastInsertRowID
            return (saved.id, saved.json)
        }, answer: answer)
    }

    /// Replaces article `id`; 404 when there is none.
    public func replace(_ id: Int64, with article: KnowledgeArticle, by caller: Caller, now: Int64,
                        answer: @escaping Answer<JSONValue>) {
        writes.write("updated", by: caller, now: now, { c in
            try c.run("UPDATE kb_articles SET title = ?, body = ?, tags = ?, updated_at = ? WHERE id = ?",
                      [.text(article.title), .text(article.body), DeskTags.sql(article.tags), .integer(now), .integer(id)])
            guard c.changes == 1 else { throw GatewayError.notFound("no knowledge-base article \(id)") }
            var saved = article
            saved.id = id
            return (id, saved.json)
        }, answer: answer)
    }

    public func delete(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        writes.write("deleted", id: id, by: caller, now: now, { c in
            try c.run("DELETE FROM kb_articles WHERE id = ?", [.integer(id)])
            guard c.changes == 1 else { throw GatewayError.notFound("no knowledge-base article \(id)") }
            return nil
        }, answer: answer)
    }
}
