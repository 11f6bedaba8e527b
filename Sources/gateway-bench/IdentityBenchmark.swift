import Delivery
import Foundation
import Identity
import Ingress
import Storage

/// Identity resolution rate on a store of many customers (targets: ≥50,000/s for known identities,
/// ≥20,000/s for new ones). Resolutions run the production path (``IdentityResolver/apply(_:occurredAt:actor:in:)``:
/// lookups, node/phone updates, audit rows and outbox events) on one connection in transactions of `--batch`
/// resolutions, which is what the single writer's group commit does with a full queue.
struct IdentityBenchmark {
    let customers: Int
    let resolutions: Int
    let batch: Int
    let synchronous: String

    init(options: BenchOptions) {
        customers = options.int("customers", default: 1_000_000)
        resolutions = options.int("resolutions", default: 200_000)
        batch = options.int("batch", default: 512)
        synchronous = options.string("synchronous", default: "full")
        cacheMiB = options.int("cache-mib", default: 64)
    }

    /// SQLite page cache of the connection in MiB (default 64, what the gateway's writer uses; 0 = SQLite's 2 MiB).
    let cacheMiB: Int

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let connection = try SQLiteConnection(path: directory.appendingPathComponent("identity.sqlite").path,
                                                  synchronous: SynchronousLevel(rawValue: synchronous) ?? .full)
            defer { connection.close() }
            _ = try Migrator.migrate(connection, migrations: GatewaySchema.migrations)
            if cacheMiB > 0 { try connection.execute("PRAGMA cache_size = -\(cacheMiB * 1024)") }
            let seedStart = Date()
            try seed(connection)
            print(String(format: "gateway-bench identity: %d customers seeded in %.1f s, synchronous=%@, batch=%d, cache %d MiB",
                         customers, Date().timeIntervalSince(seedStart), synchronous, batch, cacheMiB == 0 ? 2 : cacheMiB))
            let resolver = IdentityResolver(mode: .multiBSUID, events: .crm)
            var rng = SystemRandomNumberGenerator()
            let known = try measure(resolver, connection) { _ in
                let n = Int.random(in: 0..<customers, using: &rng)
                return Self.contact(bsuid: Self.bsuid(n), phone: Self.phone(n), username: "user\(n)")
            }
            print(String(format: "known identities (BSUID + phone, matched):  %9.0f resolutions/s  (target 50000)", known))
            let fresh = try measure(resolver, connection) { i in
                let n = customers + i
                return Self.contact(bsuid: Self.bsuid(n), phone: Self.phone(n), username: "user\(n)")
            }
            print(String(format: "new identities (customer + BSUID + phone):  %9.0f resolutions/s  (target 20000)", fresh))
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    static func bsuid(_ n: Int) -> String { "US.\(1_000_000_000 + n)" }
    static func phone(_ n: Int) -> String { "1\(3_000_000_000 + n)" }

    static func contact(bsuid: String, phone: String, username: String) -> InboundEvent {
        .contact(InboundContact(channelID: "106540352242922", accountID: "102290129340398", waID: phone,
                                userID: bsuid, profileName: nil, username: username))
    }

    /// Resolutions per second over `resolutions` events made by `event(i)`.
    private func measure(_ resolver: IdentityResolver, _ connection: any DatabaseConnection,
                         _ event: (Int) -> InboundEvent) throws -> Double {
        let events = (0..<resolutions).map(event)
        let start = Date()
        var index = 0
        while index < events.count {
            let end = min(index + batch, events.count)
            try connection.transaction {
                for i in index..<end {
                    // The real clock, as in production: new customers' public ids start with the time, so they
                    // are appended to the id index rather than scattered through it.
                    _ = try resolver.apply(events[i], occurredAt: 1_767_000_000, actor: "bench",
                                           now: Int64(Date().timeIntervalSince1970 * 1000), in: connection)
                }
            }
            index = end
        }
        return Double(events.count) / Date().timeIntervalSince(start)
    }

    /// Bulk-loads customers each with one BSUID bound to one phone (plain SQL: the seed is not what is measured).
    private func seed(_ c: any DatabaseConnection) throws {
        var n = 0
        while n < customers {
            let end = min(n + 50_000, customers)
            try c.transaction {
                for i in n..<end {
                    let id = Int64(i + 1)
                    try c.run("INSERT INTO customers (id, public_id, created_at, updated_at) VALUES (?, ?, 0, 0)",
                              [.integer(id), .text("cus_bench\(i)")])
                    try c.run("INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES (?, 'phone', ?, 0)",
                              [.integer(id), .text(Self.phone(i))])
                    try c.run("""
                        INSERT INTO customer_bsuids (customer_id, bsuid, username, username_at, phone, phone_at,
                                                     created_at, updated_at) VALUES (?, ?, ?, 1767000000, ?, 1767000000, 0, 0)
                        """, [.integer(id), .text(Self.bsuid(i)), .text("user\(i)"), .text(Self.phone(i))])
                }
            }
            n = end
        }
    }
}
