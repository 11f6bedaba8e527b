import Access
import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import Storage
import XCTest

/// A real gateway (store, libmicrohttpd server, workers) started in-process on an ephemeral 127.0.0.1 port, with a
/// temporary database — SQLite files, or a fresh PostgreSQL database (``TestStoreEngine``) — plus an HTTP client (our
/// libcurl client) to talk to it.
package final class TestGateway: @unchecked Sendable {
    package static let appSecret = "test-app-secret"
    package static let verifyToken = "test-verify-token"
    package static let botSecret = WebhookSecret(key: Array("0123456789abcdef0123456789abcdef".utf8))

    package let app: GatewayApp
    /// Its files and database, removed when the last gateway on them is gone.
    package let store: TestStore
    package var directory: URL { store.directory }
    /// The PostgreSQL database the gateway runs on, nil on SQLite.
    package var postgresDatabase: String? { store.postgresDatabase?.name }
    package let client = CurlMultiClient()
    /// The gateway's one clock (unix ms): webhook signature times, records, outbound retries and leases, schedules.
    /// It stands still unless a test moves it.
    package let clock: ManualClock
    package static let adminToken = "test-admin-token"
    /// Admin API tokens named after the actors tests act as (see ``admin(_:_:body:token:file:line:)``).
    private var actorTokens: [String: String] = [:]
    private let actorTokensLock = NSLock()
    /// The repository's `Templates/whatsapp`, wherever the tests run from.
    package static let templatesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates/whatsapp").path

    /// - Parameters:
    ///   - configure: adjust the config before start (limits, secrets, ...).
    ///   - outletObserver: sees outlet changes from POS pushes and pulls.
    ///   - clockStart: where the millisecond clock starts (what workers see when they start).
    ///   - additionalFeatures: features beyond the product's own (a sample inbound source).
    ///   - engine: the store's engine (`GATEWAY_TEST_STORE` decides by default).
    ///   - store: the data of an earlier gateway to start on (a restart); a new store by default.
    package init(outletObserver: (any OutletChangeObserver)? = nil, clockStart: Int64 = 1_750_000_000_000,
         engine: TestStoreEngine = .configured, store: TestStore? = nil,
         configure: (inout GatewayConfig) -> Void = { _ in },
         additionalFeatures: @escaping (FeatureContext) throws -> [any Feature] = { _ in [] }) throws {
        self.store = try store ?? TestStore(engine: engine)
        var config = GatewayConfig()
        config.server.port = 0
        config.server.threadPoolSize = 2
        self.store.configure(&config)
        config.whatsapp.appSecret = Self.appSecret
        config.whatsapp.verifyToken = Self.verifyToken
        config.botWebhooks.secrets = [Self.botSecret.encoded]
        config.normalizer.pollIntervalMilliseconds = 20
        config.whatsapp.templatesDirectory = Self.templatesDirectory
        config.console.directory = Self.repositoryFile("Console")
        config.tickets.classificationFile = Self.repositoryFile("Config/ticket-classification.json")
        // The fewest rounds the configuration accepts: users are created and sign in many times per suite.
        config.access.passwordIterations = 10_000
        // Tests send hundreds of requests a second from one address; the rate-limit tests turn the limits back on.
        config.access.requestsPerCredentialPerSecond = 0
        config.access.requestsPerAddressPerSecond = 0
        config.adminToken = Self.adminToken
        configure(&config)
        let clock = ManualClock(start: clockStart)
        self.clock = clock
        app = try GatewayApp(config: config, log: EventLog(minimum: .error), clock: { clock.now },
                             outletObserver: outletObserver,
                             additionalFeatures: additionalFeatures)
        try app.start()
    }

    /// A file of this repository by its relative path (tests do not depend on the working directory).
    package static func repositoryFile(_ relativePath: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(relativePath).path
    }

    deinit {
        shutdown()
    }

    package func shutdown() {
        app.shutdown()
        client.shutdown()
    }

    /// The embedded store, for a test of what only SQLite files do (a full disk, a read-only file); on PostgreSQL the
    /// test is skipped.
    package func sqliteStore() throws -> SQLiteGatewayStore {
        guard let store = app.store as? SQLiteGatewayStore else {
            throw XCTSkip("tests the SQLite files; runs when the suite runs on SQLite")
        }
        return store
    }

    package var baseURL: String { "http://127.0.0.1:\(app.port)" }

    @discardableResult
    package func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
                 file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        let result = client.perform(ClientRequest(method: method, url: baseURL + path, headers: headers, body: body))
        switch result {
        case .success(let response): return response
        case .failure(let error):
            XCTFail("request failed: \(error)", file: file, line: line)
            throw error
        }
    }

    /// A request with `Authorization: Bearer <token>` (the configured admin token by default). The actor of a change is
    /// the caller's, so a body naming an `actor` (`{"actor": "agent-7", …}`) is sent, instead of with the admin token,
    /// with an admin API token named after that actor (made once per actor).
    @discardableResult
    package func admin(_ method: String, _ path: String, body: String? = nil, token: String? = TestGateway.adminToken,
               file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var token = token
        if token == Self.adminToken, let body { token = try actorToken(forBody: body, file: file, line: line) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try request(method, path, headers: headers, body: body.map { Array($0.utf8) } ?? [], file: file, line: line)
    }

    /// The token to send `body` with: the admin API token named after the body's `actor` when it names a plausible
    /// one, else the bootstrap admin token (whose actor is `admin`, so a malformed `actor` is still refused).
    package func actorToken(forBody body: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let actor = (try? JSONParser.parse(Array(body.utf8)))?["actor"]?.stringValue, !actor.isEmpty,
              actor.utf8.count <= 100, !actor.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return Self.adminToken }
        return try actorToken(actor, file: file, line: line)
    }

    /// The admin API token named `actor` (so changes made with it are made as `actor`), made on first use.
    package func actorToken(_ actor: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        actorTokensLock.lock()
        let known = actorTokens[actor]
        actorTokensLock.unlock()
        if let known { return known }
        let made = try token(role: "admin", name: actor, file: file, line: line)
        actorTokensLock.lock()
        actorTokens[actor] = made
        actorTokensLock.unlock()
        return made
    }

    /// Moves outbound time forward and lets the dispatcher look at once.
    package func advanceOutbound(seconds: Double) {
        clock.advance(milliseconds: Int64(seconds * 1000))
        app.dispatcher.wake()
    }

    /// POSTs a WhatsApp payload signed with the configured app secret (or a given signature header).
    @discardableResult
    package func postWhatsApp(_ body: [UInt8], signature: String? = nil, extraHeaders: [(String, String)] = []) throws -> ClientResponse {
        var headers = SignedWebhook.whatsApp(body, appSecret: Self.appSecret)
        if let signature { headers[1].1 = signature }
        return try request("POST", "/webhooks/whatsapp", headers: headers + extraHeaders, body: body)
    }

    /// POSTs a Standard Webhooks–signed envelope to `/webhooks/chatbot` or `/webhooks/agent`.
    @discardableResult
    package func postBot(_ path: String, _ body: [UInt8], id: String, timestamp: Int64? = nil,
                 secret: WebhookSecret = TestGateway.botSecret) throws -> ClientResponse {
        try request("POST", path, headers: SignedWebhook.standard(body, id: id, timestamp: timestamp ?? clock.seconds,
                                                                  secret: secret), body: body)
    }

    /// Waits (bounded) until the normalizer has emptied the inbox and counted what it recorded.
    package func waitForNormalization(file: StaticString = #filePath, line: UInt = #line) {
        eventually("inbox drained", file: file, line: line) {
            try app.store.inboxDepth() == 0 && !app.normalizer.isRecording
        }
    }

    /// Rows of a read-only query against the gateway's database (test inspection only).
    package func rows(_ sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        guard postgresDatabase == nil else {
            return try DatabaseInspector.rows(database: app.store.database, sql: sql, params)
        }
        return try DatabaseInspector.rows(path: app.config.store.path, sql: sql, params)
    }

    /// Rows of a read-only query against the inbox log's database (`deliveries`, what acknowledgements append).
    package func logRows(_ sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        guard postgresDatabase == nil else {
            return try DatabaseInspector.rows(database: app.store.inboxLog.database, sql: sql, params)
        }
        return try DatabaseInspector.rows(path: app.config.store.resolvedInboxPath, sql: sql, params)
    }
}

package extension ClientResponse {
    var json: JSONValue? { try? JSONParser.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(named name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
