import Access
import Delivery
import GatewayKit
import Storage

/// How canned replies and knowledge-base articles are changed: the row and its audit row in one transaction, the
/// audit naming the record and saying what happened (`<subject>.created|updated|deleted`), never its words.
struct DeskContentWrites: Sendable {
    let database: any Database
    /// `canned_reply` or `kb_article`: the audit's subject type and action prefix.
    let subject: String

    /// Runs `change` (which answers the record's id and document, or nil for a deletion of `id`) and audits it.
    func write(_ action: String, id: Int64? = nil, by caller: Caller, now: Int64,
               _ change: @escaping @Sendable (any DatabaseConnection) throws -> (id: Int64, document: JSONValue)?,
               answer: @escaping Answer<JSONValue>) {
        database.write({ [subject] c in
            let changed = try change(c)
            let subjectID = changed?.id ?? id
            try AuditTrail.record(AuditEntry(action: "\(subject).\(action)", subjectType: subject,
                                             subjectID: subjectID.map(String.init)), by: caller, at: now, in: c)
            return changed?.document ?? .null
        }, answer: answer)
    }
}
