import Access
import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import Storage

/// What access control costs: `POST /v1/deals` and `GET /v1/tickets?limit=50` through the real gateway with the
/// bootstrap `ADMIN_TOKEN` (a constant-time digest compare), an API token (a cached lookup and its role) and a
/// token scoped to one franchise (the list also filters by outlet), each in the same run; plus the access checks
/// alone (credential, permission, perimeter) timed in a loop, as a share of a request's CPU time.
struct AccessBenchmark {
    let connections: Int
    let seconds: Double
    let tickets: Int

    init(options: BenchOptions) {
        connections = options.int("connections", default: 64)
        seconds = options.double("seconds", default: 5)
        tickets = options.int("tickets", default: 10_000)
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("gateway-bench access: \(connections) connections, \(seconds) s, \(tickets) tickets, \(cores) cores")
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.server.connectionLimit = max(1024, connections * 2)
            config.server.perIPConnectionLimit = 0
            config.access.requestsPerAddressPerSecond = 0
            config.access.requestsPerCredentialPerSecond = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.adminToken = "bench-admin-token"
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error))
            try app.start()
            defer { app.shutdown() }
            let tokens = try makeTokens(app)
            try seedTickets(app)

            var dealRates: [String: Double] = [:]
            for (label, token) in tokens {
                let deals = try load(port: app.port, token: token, status: 201) { n in
                    ("POST", "/v1/deals", Array(#"{"name":"Lead \#(n)","room_id":"room-\#(abs(n) % 1000)"}"#.utf8))
                }
                dealRates[label] = deals.perSecond
                print(deals.line("deals, \(label)"))
            }
            var listRates: [String: Double] = [:]
            for (label, token) in tokens {
                let list = try load(port: app.port, token: token, status: 200) { _ in ("GET", "/v1/tickets?limit=50", []) }
                listRates[label] = list.perSecond
                print(list.line("list, \(label)"))
            }
            let gate = measureChecks(app, tokens: tokens)
            for (name, rates) in [("deal.created", dealRates), ("ticket list", listRates)] {
                guard let rate = rates["API token"], rate > 0 else { continue }
                let requestMicros = Double(cores) * 1e6 / rate
                print(String(format: "  %@: %.0f µs of CPU per request; the access checks take %.2f µs = %.2f %%",
                             name, requestMicros, gate, gate / requestMicros * 100))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// The three credentials, in the order they are measured.
    private func makeTokens(_ app: GatewayApp) throws -> [(String, String)] {
        let unrestricted = try app.store.database.write { c in
            try APITokens.create(NewToken(name: "bench", role: .admin, scope: .unrestricted, lifetime: nil),
                                 by: .commandLine, now: 0, in: c).secret
        }
        let scoped = try app.store.database.write { c in
            try APITokens.create(NewToken(name: "bench-f1", role: .admin,
                                          scope: AccessScope([AccessScope.Grant(fid: "F1", oid: nil)]), lifetime: nil),
                                 by: .commandLine, now: 0, in: c).secret
        }
        return [("bootstrap token", "bench-admin-token"), ("API token", unrestricted), ("scoped API token", scoped)]
    }

    /// `tickets` tickets, a tenth of them in franchise F1 (what the scoped token lists).
    private func seedTickets(_ app: GatewayApp) throws {
        let count = tickets
        try app.store.database.write { c in
            for n in 0..<count {
                try c.run("""
                    INSERT INTO tickets (unique_id, name, source, origin, created_at, updated_at, fid, oid)
                    VALUES (?, ?, 'bench', 'api', ?, ?, ?, ?)
                    """, [.text("T-bench-\(n)"), .text("Ticket \(n)"), .integer(Int64(n)), .integer(Int64(n)),
                          .text(n % 10 == 0 ? "F1" : "F2"), .text("O\(n % 100)")])
            }
        }
    }

    private func load(port: UInt16, token: String, status: Int,
                      _ make: @escaping @Sendable (Int) -> (String, String, [UInt8])) throws -> LatencyRecorder.Summary {
        var generator = SocketLoadGenerator(port: port, connections: connections, seconds: seconds) { n in
            let (method, path, body) = make(n)
            return SocketLoadGenerator.Request(method: method, path: path,
                                               headers: [("Authorization", "Bearer \(token)"),
                                                         ("Content-Type", "application/json")], body: body)
        }
        generator.expectedStatus = status
        return try generator.run()
    }

    /// Microseconds per request of the checks alone: the API token's authentication (cached), its permission and
    /// the perimeter's rate limits, as the gate runs them.
    private func measureChecks(_ app: GatewayApp, tokens: [(String, String)]) -> Double {
        let authenticator = Authenticator(database: app.store.database, bootstrapToken: "bench-admin-token",
                                          settings: app.config.access)
        let perimeter = Perimeter(settings: AccessSettings())
        let header = "Bearer " + (tokens.first { $0.0 == "API token" }?.1 ?? "")
        let rounds = 200_000
        var admitted = 0
        let started = DispatchTime.now().uptimeNanoseconds
        for n in 0..<rounds {
            let now = Int64(n)
            _ = perimeter.admit(address: "127.0.0.1", now: now)
            guard case .success(let found) = authenticator.authenticate(authorization: header, cookie: nil, now: now),
                  found.principal.allows(.dealsWrite) else { continue }
            _ = perimeter.admit(found.principal, now: now)
            admitted += 1
        }
        let micros = Double(DispatchTime.now().uptimeNanoseconds - started) / 1000 / Double(rounds)
        print(String(format: "  access checks alone: %.2f µs per request (%d of %d admitted)", micros, admitted, rounds))
        return micros
    }
}
