import GatewayKit
import Storage

/// The `canned_replies` table.
enum CannedReplyStore {
    /// Inserts `reply` (409 when its name is taken in its language) and returns it with its id.
    static func insert(_ reply: CannedReply, by actor: String, now: Int64,
                       in c: any DatabaseConnection) throws -> CannedReply {
        try refuseTakenName(reply, except: nil, in: c)
        try c.run("""
            INSERT INTO canned_replies (name, language, text, tags, template_name, template_parameters, created_by,
                                        created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(reply.name), .text(reply.language), .text(reply.text), DeskTags.sql(reply.tags)]
                + templateValues(reply) + [.text(actor), .integer(now), .integer(now)])
        var saved = reply
        saved.id = c.lastInsertRowID
        return saved
    }

    /// Replaces reply `id` by `reply`; 404 when there is none, 409 when the new name is taken in its language.
    static func replace(_ id: Int64, with reply: CannedReply, now: Int64,
                        in c: any DatabaseConnection) throws -> CannedReply {
        guard try find(id, in: c) != nil else { throw GatewayError.notFound("no canned reply \(id)") }
        try refuseTakenName(reply, except: id, in: c)
        try c.run("""
            UPDATE canned_replies SET name = ?, language = ?, text = ?, tags = ?, template_name = ?,
                                      template_parameters = ?, updated_at = ?
            WHERE id = ?
            """, [.text(reply.name), .text(reply.language), .text(reply.text), DeskTags.sql(reply.tags)]
                + templateValues(reply) + [.integer(now), .integer(id)])
        var saved = reply
        saved.id = id
        return saved
    }

    static func delete(_ id: Int64, in c: any DatabaseConnection) throws {
        try c.run("DELETE FROM canned_replies WHERE id = ?", [.integer(id)])
        guard c.changes == 1 else { throw GatewayError.notFound("no canned reply \(id)") }
    }

    static func find(_ id: Int64, in c: any DatabaseConnection) throws -> CannedReply? {
        try c.queryOne("SELECT * FROM canned_replies WHERE id = ?", [.integer(id)]).map(reply)
    }

    /// By name, then language; `language` narrows to one language.
    static func list(_ search: DeskSearch, language: String?, in c: any DatabaseConnection) throws -> [CannedReply] {
        let condition = search.condition(over: ["name", "text", "tags"])
        return try c.query("""
            SELECT * FROM canned_replies WHERE \(condition.sql) AND (CAST(? AS TEXT) IS NULL OR language = ?)
            ORDER BY name, language
            """, condition.parameters + [language.map(SQLValue.text) ?? .null, language.map(SQLValue.text) ?? .null])
            .map(reply)
    }

    private static func refuseTakenName(_ reply: CannedReply, except id: Int64?, in c: any DatabaseConnection) throws {
        if let taken = try c.queryOne("SELECT id FROM canned_replies WHERE name = ? AND language = ?",
                                      [.text(reply.name), .text(reply.language)])?.int64("id"), taken != id {
            throw GatewayError.conflict("canned reply \(taken) is already named \(reply.name) in \(reply.language)")
        }
    }

    private static func templateValues(_ reply: CannedReply) -> [SQLValue] {
        guard let template = reply.template else { return [.null, .null] }
        return [.text(template.name), .text(JSONWriter.string(.array(template.parameters.map(JSONValue.string))))]
    }

    private static func reply(_ row: Row) -> CannedReply {
        let parameters = row.string("template_parameters").flatMap { try? JSONParser.parse(Array($0.utf8)) }?
            .arrayValue?.compactMap(\.stringValue) ?? []
        return CannedReply(id: row.int64("id") ?? 0, name: row.string("name") ?? "",
                           language: row.string("language") ?? "en", text: row.string("text") ?? "",
                           tags: DeskTags.of(row),
                           template: row.string("template_name").map { CannedReply.Template(name: $0, parameters: parameters) })
    }
}
