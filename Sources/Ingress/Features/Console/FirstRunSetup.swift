import Access
import Configuration
import Crypto
import Delivery
import Foundation
import GatewayKit

/// The first start of a gateway nobody can sign in to yet — no users and no `ADMIN_TOKEN` — on the loopback
/// address only: a one-time code, printed in the start-up log as the link `/console/setup?code=…`, lets whoever
/// started it create the first admin (the way Grafana or Jenkins start). The code works once, for
/// ``lifetimeMilliseconds``, and only while there are still no users; a restart prints a new one.
final class FirstRunSetup: @unchecked Sendable {
    static let lifetimeMilliseconds: Int64 = 15 * 60_000

    private let users: UserAccounts
    private let clock: @Sendable () -> Int64
    private let lock = NSLock()
    /// The code and until when it works; nil once used, or when the gateway did not need one.
    private var pending: (code: String, expiresAt: Int64)?
    /// The code while the admin it admitted is being written (given back if that write fails).
    private var usedCode: (code: String, expiresAt: Int64)?

    /// Makes a code when the gateway needs one, and logs the link to it.
    init(_ context: FeatureContext) {
        let config = context.config
        users = UserAccounts(database: context.store.database, passwordIterations: config.access.passwordIterations)
        clock = context.clock
        let system = Caller(principal: .system("setup"), requestID: nil, sourceIP: nil)
        guard config.adminToken == nil, Self.isLoopback(config.server.host),
              (try? users.list(for: system).isEmpty) == true else { return }
        let code = Hex.encode(SecureRandom.bytes(16))
        pending = (code, context.clock() + Self.lifetimeMilliseconds)
        let port = config.server.port == 0 ? "<port>" : String(config.server.port)
        let scheme = config.server.tlsEnabled ? "https" : "http"
        context.log.warning("first_run_setup", [
            "url": "\(scheme)://\(config.server.host):\(port)/console/setup?code=\(code)",
            "detail": "no users and no ADMIN_TOKEN: open the link within 15 minutes to create the first admin",
        ])
    }

    /// Only the machine itself reaches a gateway bound to these.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Creates the first admin from `{"code", "email", "password", "name"?}`; 403 for a code that is wrong, used or
    /// expired (one answer for all three), 400 naming each bad field.
    func createAdmin(_ body: JSONValue, caller: Caller, answer: @escaping Answer<UserRecord>) {
        guard var fields = body.objectValue else {
            return answer(.failure(.validation([FieldError(field: "(body)", message: "must be a JSON object")])))
        }
        let code = fields.removeValue(forKey: "code")?.stringValue ?? ""
        let refused = ["role", "scope"].filter { fields[$0] != nil }
        if !refused.isEmpty {
            return answer(.failure(.validation(refused.map {
                FieldError(field: $0, message: "the first user is an unrestricted admin; leave it out")
            })))
        }
        fields["role"] = "admin"
        let user: NewUser
        switch NewUser.read(.object(fields)) {
        case .failure(let error): return answer(.failure(error))
        case .success(let read): user = read
        }
        guard take(code) else {
            return answer(.failure(.forbidden(
                "the setup code is not valid: it works once, within 15 minutes of the first start")))
        }
        users.create(user, by: caller, now: clock()) { [self] result in
            if case .failure = result { restore(code) }
            answer(result)
        }
    }

    /// Uses the code up when it is the pending one and still valid.
    private func take(_ code: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let pending, pending.expiresAt > clock(), CredentialSecret.equal(code, pending.code) else { return false }
        self.pending = nil
        usedCode = pending
        return true
    }

    /// The code of a creation that failed (a taken email cannot happen without users, a storage error can): usable
    /// again.
    private func restore(_ code: String) {
        lock.lock()
        defer { lock.unlock() }
        if let used = usedCode, used.code == code { pending = used }
    }
}
