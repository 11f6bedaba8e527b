import Delivery
import GatewayKit
import GatewayTesting
import Identity
import Storage
import XCTest

/// Multi-BSUID identity, table-driven: each row is a scenario or edge case of the requirements by its name, the
/// events in arrival order (with source times), and the identity state expected afterwards (see ``IdentitySnapshot``
/// for the notation: `B@username>phone` is a BSUID node, `!retired` a replaced one).
final class IdentityScenarioTests: XCTestCase {
    struct Row {
        let name: String
        var mode: IdentityMode = .multiBSUID
        let events: [(InboundEvent, Int64)]
        let expected: [String]
        /// A BSUID whose customer id must not change once it is known, whatever the arrival order.
        var stableBSUID: String?
    }

    typealias E = IdentityEvents

    static let rows: [Row] = [
        Row(name: "Scenario 1 — Data Model Structure (Multi-BSUID per Customer)",
            events: [(E.contact("US.100001", phone: "15550001", username: "pat"), 10),
                     (E.contact("US.200002", phone: "15550001", username: "pat.work"), 20)],
            expected: ["bsuids=[US.100001@pat,US.200002@pat.work>15550001] phones=[15550001]"]),
        Row(name: "Scenario 2 — Identity Pattern A (BSUID + WA Username)",
            events: [(E.contact("US.100001", username: "pat.codes"), 10),
                     (E.contact("US.100001", username: "pat.codes"), 11)],
            expected: ["bsuids=[US.100001@pat.codes] phones=[]"]),
        Row(name: "Scenario 3 — Identity Pattern B (BSUID + WA Username + Phone)",
            events: [(E.contact("US.100001", phone: "15550001", username: "pat"), 10)],
            expected: ["bsuids=[US.100001@pat>15550001] phones=[15550001]"]),
        Row(name: "Scenario 4 — Update Existing BSUID (Add Phone Later)",
            events: [(E.contact("US.100001", username: "pat"), 10),
                     (E.contact("US.100001", phone: "15550001"), 20)],
            expected: ["bsuids=[US.100001@pat>15550001] phones=[15550001]"]),
        Row(name: "Scenario 5 — New BSUID but Existing Phone",
            events: [(E.contact(phone: "15550001"), 10),
                     (E.contact("US.100001", phone: "15550001", username: "pat"), 20)],
            expected: ["bsuids=[US.100001@pat>15550001] phones=[15550001]"]),
        Row(name: "Scenario 5 — New BSUID but Existing Phone (phone held by an older BSUID)",
            events: [(E.contact("US.100001", phone: "15550001"), 10),
                     (E.contact("US.200002", phone: "15550001"), 20)],
            expected: ["bsuids=[US.100001,US.200002>15550001] phones=[15550001]"]),
        Row(name: "Scenario 6 — No Match (BSUID & Phone Not Found)",
            events: [(E.contact("US.100001", phone: "15550001"), 10),
                     (E.contact("US.300003", phone: "15550003"), 10)],
            expected: ["bsuids=[US.100001>15550001] phones=[15550001]",
                       "bsuids=[US.300003>15550003] phones=[15550003]"]),
        Row(name: "Edge — Same WA username across different BSUID → separate identities",
            events: [(E.contact("US.100001", username: "same"), 10), (E.contact("US.200002", username: "same"), 10)],
            expected: ["bsuids=[US.100001@same] phones=[]", "bsuids=[US.200002@same] phones=[]"]),
        Row(name: "Edge — Phone reused across BSUID → attached to one BSUID at a time (late older claim loses)",
            events: [(E.contact("US.200002", phone: "15550001"), 20),
                     (E.contact("US.100001", phone: "15550001"), 10)],
            expected: ["bsuids=[US.100001,US.200002>15550001] phones=[15550001]"]),
        Row(name: "Edge — Missing WA username but BSUID exists → still valid identity",
            events: [(E.contact("US.100001"), 10), (E.contact("US.100001", phone: "15550001"), 20)],
            expected: ["bsuids=[US.100001>15550001] phones=[15550001]"]),
        Row(name: "Edge — Inconsistent mapping → BSUID first, then phone (the two customers are merged)",
            events: [(E.contact("US.100001", username: "pat"), 10), (E.contact(phone: "15550001"), 10),
                     (E.contact("US.100001", phone: "15550001"), 20)],
            expected: ["bsuids=[US.100001@pat>15550001] phones=[15550001]"], stableBSUID: "US.100001"),
        Row(name: "Scenario 4 — Known BSUID adds a phone an older customer owns (customer_id remains unchanged)",
            events: [(E.contact(phone: "15550001", name: "Older"), 5), (E.contact("US.100001", username: "pat"), 10),
                     (E.contact("US.100001", phone: "15550001", username: "pat"), 20)],
            expected: ["bsuids=[US.100001@pat>15550001] phones=[15550001]"], stableBSUID: "US.100001"),
        Row(name: "Scenario 4 — Known BSUID takes a phone another BSUID's customer holds (that customer folds in)",
            events: [(E.contact("US.100001", phone: "15550001"), 10), (E.contact("US.200002"), 5),
                     (E.contact("US.200002", phone: "15550001"), 20)],
            expected: ["bsuids=[US.100001,US.200002>15550001] phones=[15550001]"], stableBSUID: "US.200002"),
        Row(name: "System — user_changed_number (previous BSUID retired, new phone bound to new BSUID)",
            events: [(E.contact("MY.1502576394655843", phone: "60123456789", username: "siti"), 10),
                     (E.numberChange("wamid.N1", from: "60123456789", to: "60198765432",
                                     previousBSUID: "MY.1502576394655843", newBSUID: "MY.2718281828459045", at: 30), 30)],
            expected: ["bsuids=[MY.1502576394655843@siti!retired,MY.2718281828459045>60198765432] "
                       + "phones=[60123456789,60198765432]"]),
        Row(name: "System — user_changed_number arriving after the new identity (customers merged, no duplicate)",
            events: [(E.contact("MY.2718281828459045", phone: "60198765432"), 40),
                     (E.contact("MY.1502576394655843", phone: "60123456789"), 10),
                     (E.numberChange("wamid.N1", from: "60123456789", to: "60198765432",
                                     previousBSUID: "MY.1502576394655843", newBSUID: "MY.2718281828459045", at: 30), 30),
                     (E.contact("MY.1502576394655843", phone: "60123456789"), 11)],
            expected: ["bsuids=[MY.1502576394655843!retired,MY.2718281828459045>60198765432] "
                       + "phones=[60123456789,60198765432]"]),
        Row(name: "System — user_changed_user_id (phone moves to the new BSUID, old one retired)",
            events: [(E.contact("US.8472615093847261", phone: "15550009", username: "pat"), 10),
                     (E.userIDChange("wamid.U1", from: "US.8472615093847261", to: "US.5550001112223334", at: 30), 30)],
            expected: ["bsuids=[US.5550001112223334>15550009,US.8472615093847261@pat!retired] phones=[15550009]"]),
        Row(name: "System — user_changed_user_id before anything else (no orphan: one customer, both nodes)",
            events: [(E.userIDChange("wamid.U1", from: "US.8472615093847261", to: "US.5550001112223334", at: 30), 30),
                     (E.contact("US.8472615093847261", username: "pat"), 10),
                     (E.contact("US.5550001112223334", username: "pat"), 40)],
            expected: ["bsuids=[US.5550001112223334@pat,US.8472615093847261@pat!retired] phones=[]"]),
        Row(name: "Toggle OFF — phone-only: one customer per phone, BSUIDs not stored", mode: .phoneOnly,
            events: [(E.contact("US.100001", phone: "15550001"), 10), (E.contact("US.200002", phone: "15550001"), 20),
                     (E.contact("US.300003"), 30)],
            expected: ["bsuids=[] phones=[15550001]"]),
        Row(name: "Toggle OFF — user_changed_number adds the new phone to the same customer", mode: .phoneOnly,
            events: [(E.contact(phone: "60123456789"), 10),
                     (E.numberChange("wamid.N1", from: "60123456789", to: "60198765432", at: 30), 30)],
            expected: ["bsuids=[] phones=[60123456789,60198765432]"]),
    ]

    func testSeedScenarios() throws {
        for row in Self.rows {
            let store = try IdentityTestStore(mode: row.mode)
            for (event, at) in row.events { try store.apply(event, at: at) }
            XCTAssertEqual(try store.state(), row.expected, row.name)
            XCTAssertEqual(try store.count("""
                SELECT count(*) FROM customer_bsuids b JOIN customers c ON c.id = b.customer_id
                WHERE c.merged_into IS NOT NULL
                """), 0, "\(row.name): no BSUID left on a merged customer")
        }
    }

    /// Every arrival order of a row's events ends in the same state (facts carry their source times).
    func testScenarioStateDoesNotDependOnArrivalOrder() throws {
        for row in Self.rows where row.events.count <= 4 {
            for order in permutations(Array(row.events.indices)) {
                let store = try IdentityTestStore(mode: row.mode)
                for index in order { try store.apply(row.events[index].0, at: row.events[index].1) }
                XCTAssertEqual(try store.state(), row.expected, "\(row.name) in order \(order)")
            }
        }
    }

    func testToggleOffIgnoresBSUIDOnlyContacts() throws {
        let store = try IdentityTestStore(mode: .phoneOnly)
        let result = try store.apply(E.contact("US.100001", username: "pat"), at: 10)
        XCTAssertNil(result.contactID)
        XCTAssertEqual(try store.count("SELECT count(*) FROM customers"), 0)
        let on = try IdentityTestStore(mode: .multiBSUID)
        XCTAssertNotNil(try on.apply(E.contact("US.100001", username: "pat"), at: 10).contactID)
    }

    func testStoreRejectsDuplicateBSUIDsAndPhonesEvenWithoutTheResolver() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        try store.apply(E.contact("US.100001", phone: "15550001"), at: 10)
        try store.apply(E.contact("US.200002"), at: 10)
        let c = store.connection
        let attempts: [(String, String)] = [
            ("second node with the same BSUID", "INSERT INTO customer_bsuids (customer_id, bsuid, created_at, updated_at) "
                + "SELECT id, 'US.100001', 0, 0 FROM customers LIMIT 1"),
            ("same phone on another customer", "INSERT INTO customer_identifiers (customer_id, kind, value, created_at) "
                + "SELECT max(id), 'phone', '15550001', 0 FROM customers"),
            ("phone bound to a second BSUID", "UPDATE customer_bsuids SET phone = '15550001' WHERE bsuid = 'US.200002'"),
            ("bound phone deleted", "DELETE FROM customer_identifiers WHERE value = '15550001'"),
            ("bound phone edited", "UPDATE customer_identifiers SET value = '15550009' WHERE value = '15550001'"),
            ("retired node holding a phone", "UPDATE customer_bsuids SET retired_at = 1 WHERE bsuid = 'US.100001'"),
        ]
        for (name, sql) in attempts {
            XCTAssertThrowsError(try c.run(sql), name) { error in
                XCTAssertTrue((error as? SQLiteError)?.isConstraintViolation ?? false, "\(name): \(error)")
            }
        }
    }

    func testMetricsCountersAndAuditTrail() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        let first = try store.apply(E.contact("US.100001", phone: "15550001"), at: 10)
        XCTAssertEqual(first.counters.customersCreated, 1)
        XCTAssertEqual(first.counters.bsuidsAttached, 1)
        let second = try store.apply(E.contact("US.200002", phone: "15550001"), at: 20)
        XCTAssertEqual(second.contactID, first.contactID)
        XCTAssertEqual(second.counters.customersCreated, 0)
        XCTAssertEqual(second.counters.mergesAvoided, 1)
        let actions = try store.connection.query("SELECT action FROM identity_audit ORDER BY id").compactMap {
            $0.string("action")
        }
        XCTAssertEqual(actions, ["customer.created", "bsuid.attached", "phone.unbound", "phone.bound"])
        let created = try store.connection.queryOne("SELECT after FROM identity_audit ORDER BY id LIMIT 1")
        XCTAssertEqual(created?.string("after"), #"{"bsuid":"US.100001","phone":"15550001"}"#)
        XCTAssertEqual(try store.count("SELECT count(*) FROM outbox WHERE endpoint = 'crm'"), 2,
                       "one CRM event per changed contact and operation")
    }

    /// A known sender's profile name replaces the customer's when it is given later and differs; the same name again,
    /// or an older one arriving late, changes nothing and audits nothing.
    func testAKnownSendersNameFollowsTheLatestClaim() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        let contact = try store.apply(E.contact("US.100001", phone: "15550001", name: "Pat"), at: 10).contactID
        try store.apply(E.contact("US.100001", phone: "15550001", name: "Pat"), at: 20)
        try store.apply(E.contact("US.100001", phone: "15550001", name: "Patricia"), at: 40)
        try store.apply(E.contact("US.100001", phone: "15550001", name: "Old Pat"), at: 30)
        let result = try store.apply(E.contact("US.100001", name: "Patricia"), at: 50)
        XCTAssertEqual(result.contactID, contact)
        XCTAssertEqual(try store.connection.queryOne("SELECT display_name FROM customers")?.string("display_name"),
                       "Patricia")
        let changes = try store.connection.query("""
            SELECT after FROM identity_audit WHERE action = 'customer.name_changed' ORDER BY id
            """).compactMap { $0.string("after") }
        XCTAssertEqual(changes, [#""Patricia""#])
    }

    /// A merge keeps the loser as a tombstone: its id (held by deals, the CRM) still resolves, to the survivor — the
    /// customer of the BSUID the notice names, although the phone-only customer is older.
    func testMergedContactIdResolvesToTheSurvivor() throws {
        let store = try IdentityTestStore(mode: .multiBSUID)
        let older = try store.apply(E.contact(phone: "60123456789"), at: 10).contactID
        let newer = try store.apply(E.contact("MY.2718281828459045", phone: "60198765432"), at: 40).contactID
        XCTAssertNotEqual(older, newer)
        let merged = try store.apply(E.numberChange("wamid.N1", from: "60123456789", to: "60198765432",
                                                    newBSUID: "MY.2718281828459045", at: 30), at: 30)
        XCTAssertEqual(merged.contactID, newer, "the BSUID's customer survives")
        XCTAssertEqual(merged.counters.customersMerged, 1)
        let viaLoser = try ContactDirectory.contact(publicID: older ?? "", in: store.connection)
        XCTAssertEqual(viaLoser?["id"]?.stringValue, newer)
        XCTAssertEqual(viaLoser?["bsuids"]?.arrayValue?.count, 1)
    }

    /// A known BSUID keeps its customer id, in every arrival order: when it arrives with a phone that an older
    /// customer owns, that customer folds into the BSUID's (audited as `customer.merged` on both), not the other way.
    func testAKnownBSUIDKeepsItsCustomerIDInEveryArrivalOrder() throws {
        for row in Self.rows {
            guard let bsuid = row.stableBSUID else { continue }
            for order in permutations(Array(row.events.indices)) {
                let store = try IdentityTestStore(mode: row.mode)
                var firstID: String?
                for index in order {
                    let result = try store.apply(row.events[index].0, at: row.events[index].1)
                    if firstID == nil, try store.customerID(ofBSUID: bsuid) != nil { firstID = result.contactID }
                }
                XCTAssertNotNil(firstID, "\(row.name) in order \(order)")
                XCTAssertEqual(try store.customerID(ofBSUID: bsuid), firstID, "\(row.name) in order \(order)")
            }
        }
    }

    private func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[Int]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }
}
