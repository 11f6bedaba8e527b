import Delivery
import Foundation
import GatewayKit
import Identity
import Ingress
import Storage

/// A migrated temporary database for identity tests: applies inbound events through ``IdentityResolver`` exactly as
/// the item applier does (one transaction each) and renders the identity state canonically for comparison.
package final class IdentityTestStore {
    package let directory: URL
    package let connection: SQLiteConnection
    package let resolver: IdentityResolver

    package init(mode: IdentityMode, events: IdentityEventRoute = .crm) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-identity-\(UUID().uuidString)")
        connection = try SQLiteConnection(path: directory.appendingPathComponent("id.sqlite").path, synchronous: .off)
        _ = try Migrator.migrate(connection, migrations: GatewaySchema.migrations)
        resolver = IdentityResolver(mode: mode, events: events)
    }

    deinit {
        connection.close()
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    package func apply(_ event: InboundEvent, at: Int64 = 0) throws -> IdentityApplication {
        try connection.transaction { try resolver.apply(event, occurredAt: at, actor: "test", now: at * 1000, in: connection) }
    }

    /// One line per live customer, sorted: `bsuids=[B@user>phone, B!retired] phones=[…] emails=[…]`.
    package func state() throws -> [String] {
        try IdentitySnapshot.lines(connection)
    }

    /// The public id of the live customer holding `bsuid`, nil when the BSUID is unknown.
    package func customerID(ofBSUID bsuid: String) throws -> String? {
        try ContactDirectory.contact(by: .bsuid, bsuid, in: connection)?["id"]?.stringValue
    }

    package func count(_ sql: String) throws -> Int {
        guard case .integer(let n)? = try connection.queryOne(sql)?[0] else { return -1 }
        return Int(n)
    }
}

/// The identity state as comparable text, independent of ids and insertion order.
package enum IdentitySnapshot {
    package static func lines(_ c: any DatabaseConnection) throws -> [String] {
        var lines: [String] = []
        for row in try c.query("SELECT id FROM customers WHERE merged_into IS NULL") {
            guard let id = row.int64("id") else { continue }
            let nodes = try c.query("SELECT bsuid, username, phone, retired_at FROM customer_bsuids WHERE customer_id = ?",
                                    [.integer(id)]).map { n -> String in
                var s = n.string("bsuid") ?? "?"
                if let u = n.string("username") { s += "@" + u }
                if let p = n.string("phone") { s += ">" + p }
                if n.int64("retired_at") != nil { s += "!retired" }
                return s
            }.sorted()
            let ids = try c.query("SELECT kind, value FROM customer_identifiers WHERE customer_id = ?", [.integer(id)])
            let phones = ids.filter { $0.string("kind") == "phone" }.compactMap { $0.string("value") }.sorted()
            let emails = ids.filter { $0.string("kind") == "email" }.compactMap { $0.string("value") }.sorted()
            lines.append("bsuids=[\(nodes.joined(separator: ","))] phones=[\(phones.joined(separator: ","))]"
                         + (emails.isEmpty ? "" : " emails=[\(emails.joined(separator: ","))]"))
        }
        return lines.sorted()
    }
}

/// Short builders for identity events.
package enum IdentityEvents {
    package static func contact(_ bsuid: String? = nil, phone: String? = nil, username: String? = nil,
                        name: String? = nil) -> InboundEvent {
        .contact(InboundContact(channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID,
                                waID: phone, userID: bsuid, profileName: name, username: username))
    }

    package static func numberChange(_ id: String, from previous: String, to new: String, previousBSUID: String? = nil,
                             newBSUID: String? = nil, at: Int64) -> InboundEvent {
        .identityChange(InboundIdentityChange(messageID: id, channelID: WhatsAppFixtures.phoneNumberID,
                                              accountID: WhatsAppFixtures.wabaID, timestamp: at, change: .phoneNumber,
                                              previousPhone: previous, newPhone: new, previousUserID: previousBSUID,
                                              newUserID: newBSUID))
    }

    package static func userIDChange(_ id: String, from previous: String, to new: String, at: Int64) -> InboundEvent {
        .identityChange(InboundIdentityChange(messageID: id, channelID: WhatsAppFixtures.phoneNumberID,
                                              accountID: WhatsAppFixtures.wabaID, timestamp: at, change: .userID,
                                              previousUserID: previous, newUserID: new))
    }
}
