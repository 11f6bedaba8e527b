import Delivery
import Dispatch
import GatewayKit
import Storage

/// Subject-access exports and erasures (PDPA), across every module that keeps personal data.
///
/// An erasure first empties the inbox log's deliveries that mention the person (a database of its own), then, in one
/// transaction of the main database with secure delete on, the delivery machinery's bodies, every module's part
/// (identity last: the others find the person by its identifiers) and the audit row — which names the contact id and
/// what was changed, never the erased values — and finally checkpoints both databases and truncates their
/// write-ahead logs, so no copy of the erased values stays in the files. A crash in between leaves the contact
/// unerased, and erasing again finishes the job; erasing an erased contact changes nothing.
public struct PersonalDataRequests: Sendable {
    /// What an erasure did.
    public enum Outcome: Sendable, Equatable {
        /// Rows changed per section.
        case erased([String: Int], filesPurged: Bool)
        case alreadyErased
    }

    private let database: any Database
    private let inboxLog: any Database
    private let subjects: any PersonalDataSubjects
    /// Erased in this order: the identity module's part must come last.
    private let holders: [any PersonalDataHolder]
    private let log: EventLog

    public init(database: any Database, inboxLog: any Database, subjects: any PersonalDataSubjects,
                holders: [any PersonalDataHolder], log: EventLog) {
        self.database = database
        self.inboxLog = inboxLog
        self.subjects = subjects
        self.holders = holders
        self.log = log
    }

    /// Everything held about the contact, by section; nil when no such contact exists. Blocking read.
    public func export(contactID: String) throws -> JSONValue? {
        try database.read { c in
            guard let subject = try subjects.subject(contactID: contactID, in: c) else { return nil }
            var sections: [String: JSONValue] = ["contact_id": .string(subject.contactID),
                                                 "erased_at": subject.erasedAt.map { .string(Timestamps.rfc3339($0)) }
                                                     ?? .null,
                                                 "deliveries": try DeliveryPersonalData.export(subject.needles, in: c)]
            for holder in holders { sections[holder.section] = try holder.export(subject, in: c) }
            return .object(sections)
        }
    }

    /// Erases the contact (see the type's description); 404 for an unknown contact.
    public func erase(contactID: String, by caller: Caller, now: Int64, answer: @escaping Answer<Outcome>) {
        DispatchQueue.global().async { [self] in
            do {
                answer(.success(try erase(contactID: contactID, by: caller, now: now)))
            } catch let error as GatewayError {
                answer(.failure(error))
            } catch {
                answer(.failure(.storage(error)))
            }
        }
    }

    private func erase(contactID: String, by caller: Caller, now: Int64) throws -> Outcome {
        guard let found = try database.read({ try subjects.subject(contactID: contactID, in: $0) }) else {
            throw GatewayError.notFound("no contact \(contactID)")
        }
        guard found.erasedAt == nil else { return .alreadyErased }
        let logged = try inboxLog.write { c in try c.eraseThoroughly { try DeliveryPersonalData.eraseFromLog(found.needles, in: c) } }
        let counts = try database.write { [subjects, holders] c -> [String: Int]? in
            try c.eraseThoroughly {
                guard let subject = try subjects.subject(contactID: contactID, in: c), subject.erasedAt == nil else {
                    return nil
                }
                var counts = ["deliveries": try DeliveryPersonalData.erase(subject.needles, in: c)]
                for holder in holders { counts[holder.section] = try holder.erase(subject, at: now, in: c) }
                try AuditTrail.record(AuditEntry(action: "contact.erased", subjectType: "contact",
                                                 subjectID: subject.contactID,
                                                 detail: counts.mapValues { .integer(Int64($0)) }),
                                      by: caller, at: now, in: c)
                return counts
            }
        }
        guard var counts else { return .alreadyErased }
        counts["inbox_log"] = logged
        var purged = true
        for store in [inboxLog, database] {
            do {
                try store.purgeDeletedContent()
            } catch {
                purged = false
                log.error("erasure_purge_incomplete", ["database": store.location, "error": "\(error)"])
            }
        }
        return .erased(counts, filesPurged: purged)
    }
}
