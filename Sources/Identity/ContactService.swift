import Delivery
import GatewayKit
import Storage

/// The contact use cases behind the contact API: look a contact up, create or extend one, patch it, remove a BSUID
/// node. Each write is one unit of work; its identity counters (customers created, events not sent, ...) reach the
/// metrics only after it committed.
public struct ContactService: Sendable {
    public let editor: ContactEditor
    private let database: any Database
    private let metrics: MetricsRegistry

    public init(database: any Database, editor: ContactEditor, metrics: MetricsRegistry) {
        self.database = database
        self.editor = editor
        self.metrics = metrics
    }

    /// The contact document of `publicID` (a merged id answers with the survivor), nil when unknown. Blocking read.
    public func contact(publicID: String) throws -> JSONValue? {
        try database.read { try ContactDirectory.contact(publicID: publicID, in: $0) }
    }

    /// The contact owning the identifier `value` of `key`, nil when none does. Blocking read.
    public func contact(by key: ContactDirectory.Key, _ value: String) throws -> JSONValue? {
        try database.read { try ContactDirectory.contact(by: key, value, in: $0) }
    }

    /// Resolves `patch` BSUID → phone → email: the matched contact with the new identifiers, or a new contact.
    public func upsert(_ patch: ContactPatch, actor: String, addendum: Addendum<ContactWrite>? = nil,
                       answer: @escaping Answer<ContactWrite>) {
        write(addendum, answer) { [editor] in try editor.upsert(patch, actor: actor, in: $0) }
    }

    public func patch(_ publicID: String, _ patch: ContactPatch, actor: String,
                      addendum: Addendum<ContactWrite>? = nil, answer: @escaping Answer<ContactWrite>) {
        write(addendum, answer) { [editor] in try editor.patch(publicID, patch, actor: actor, in: $0) }
    }

    /// Records a consent choice (see ``ContactEditor/recordConsent(_:category:granted:source:detail:actor:in:)``).
    public func recordConsent(_ publicID: String, category: String, granted: Bool, source: String, detail: String?,
                              actor: String, addendum: Addendum<ContactWrite>? = nil,
                              answer: @escaping Answer<ContactWrite>) {
        write(addendum, answer) { [editor] in
            try editor.recordConsent(publicID, category: category, granted: granted, source: source, detail: detail,
                                     actor: actor, in: $0)
        }
    }

    /// Removes the BSUID node (its phone becomes editable).
    public func deleteBSUID(_ publicID: String, _ bsuid: String, actor: String,
                            addendum: Addendum<ContactWrite>? = nil, answer: @escaping Answer<ContactWrite>) {
        write(addendum, answer) { [editor] in try editor.deleteBSUID(publicID, bsuid, actor: actor, in: $0) }
    }

    private func write(_ addendum: Addendum<ContactWrite>?, _ answer: @escaping Answer<ContactWrite>,
                       _ work: @escaping @Sendable (any DatabaseConnection) throws -> ContactWrite) {
        database.write(work, addendum: addendum, answer: { [metrics] result in
            if case .success(let written) = result {
                var counts = MetricCounts()
                written.counters.add(to: &counts)
                counts.record(in: metrics)
            }
            answer(result)
        })
    }
}
