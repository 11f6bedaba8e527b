import Access
import Delivery
import GatewayKit
import Messaging
import Storage

/// The canned replies agents pick from (`canned_replies`): saved and changed with every variable and the template
/// checked (``CannedReply/read(_:catalog:)``), listed by name, searched over name, text and tags. Every change is
/// audited in its transaction.
public struct CannedReplies: Sendable {
    /// The approved templates a reply may name.
    public let catalog: WhatsAppTemplateCatalog
    private let database: any Database
    private let writes: DeskContentWrites

    public init(database: any Database, catalog: WhatsAppTemplateCatalog) {
        self.database = database
        self.catalog = catalog
        writes = DeskContentWrites(database: database, subject: "canned_reply")
    }

    public func list(_ search: DeskSearch, language: String?) throws -> [CannedReply] {
        try database.read { try CannedReplyStore.list(search, language: language, in: $0) }
    }

    public func reply(_ id: Int64) throws -> CannedReply? {
        try database.read { try CannedReplyStore.find(id, in: $0) }
    }

    public func create(_ reply: CannedReply, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        writes.write("created", by: caller, now: now, { c in
            let saved = try CannedReplyStore.insert(reply, by: caller.actor, now: now, in: c)
            return (saved.id, saved.json)
        }, answer: answer)
    }

    public func replace(_ id: Int64, with reply: CannedReply, by caller: Caller, now: Int64,
                        answer: @escaping Answer<JSONValue>) {
        writes.write("updated", by: caller, now: now, { c in
            let saved = try CannedReplyStore.replace(id, with: reply, now: now, in: c)
            return (saved.id, saved.json)
        }, answer: answer)
    }

    public func delete(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        writes.write("deleted", id: id, by: caller, now: now, { c in
            try CannedReplyStore.delete(id, in: c)
            return nil
        }, answer: answer)
    }
}
