import GatewayKit
import Storage

/// An internal knowledge-base article: `{"title", "body", "tags"?}` (title ≤ 200 characters, body ≤ 20,000).
public struct KnowledgeArticle: Sendable, Equatable {
    public static let maxTitleLength = 200
    public static let maxBodyLength = 20_000

    public var id: Int64 = 0
    public let title: String
    public let body: String
    public let tags: [String]

    /// Reads and checks an article's body; every problem named at once.
    public static func read(_ document: JSONValue) -> Result<KnowledgeArticle, GatewayError> {
        guard let object = document.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(document.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["title", "body", "tags"])
        let title = fields.requiredString("title")
        if let title, title.count > maxTitleLength { fields.fail("title", "must be at most \(maxTitleLength) characters") }
        let body = fields.requiredString("body")
        if let body, body.count > maxBodyLength { fields.fail("body", "must be at most \(maxBodyLength) characters") }
        let tags = DeskTags.read(&fields)
        guard fields.errors.isEmpty, let title, let body else { return .failure(.validation(fields.errors)) }
        return .success(KnowledgeArticle(title: title, body: body, tags: tags))
    }

    init(title: String, body: String, tags: [String]) {
        self.title = title
        self.body = body
        self.tags = tags
    }

    init(_ row: Row) {
        id = row.int64("id") ?? 0
        title = row.string("title") ?? ""
        body = row.string("body") ?? ""
        tags = DeskTags.of(row)
    }

    public var json: JSONValue {
        ["id": .integer(id), "title": .string(title), "body": .string(body), "tags": .array(tags.map(JSONValue.string))]
    }
}
