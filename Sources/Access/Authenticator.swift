import Crypto
import Foundation
import Storage

/// Works out who a request is from: `Authorization: Bearer <token>` (the configured `ADMIN_TOKEN`, or an API token)
/// or, without that header, the console's session cookie. A bearer header that is wrong is refused — never passed
/// over for the cookie. Token lookups are cached for a few seconds (a revocation through this process clears the
/// cache at once); sessions are read on every request, so a logout, a disabled user or a changed role counts at once.
/// `last_used_at` / `last_seen_at` are written at most once a minute per credential, off the request's path.
public final class Authenticator: @unchecked Sendable {
    /// A caller whose credential checked out.
    public struct Authentication: Sendable {
        public let principal: Principal
        /// The session's secret when the credential was the cookie: state-changing requests must then carry its CSRF
        /// token (``csrfToken(for:)``).
        public let sessionSecret: String?
    }

    /// Why a credential was not accepted: the detail of the 401.
    public struct Refused: Error, Sendable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    public static let sessionCookie = "gateway_session"
    public static let csrfHeader = "X-CSRF-Token"
    static let cacheMilliseconds: Int64 = 10_000
    static let touchIntervalMilliseconds: Int64 = 60_000

    private let database: any Database
    private let bootstrapDigest: [UInt8]?
    private let sessionIdle: Int64
    private let lock = NSLock()
    private var tokens: [String: (record: TokenRecord, fetchedAt: Int64)] = [:]
    private var touchedTokens: [Int64: Int64] = [:]

    public init(database: any Database, bootstrapToken: String?, settings: AccessSettings) {
        self.database = database
        bootstrapDigest = bootstrapToken.flatMap { $0.isEmpty ? nil : SHA256Digest.hash(Array($0.utf8)) }
        sessionIdle = Int64(settings.sessionIdleMilliseconds)
    }

    /// The caller, or why not (the text of the 401).
    public func authenticate(authorization: String?, cookie: String?, now: Int64) -> Result<Authentication, Refused> {
        if let authorization {
            guard authorization.utf8.count > 7, authorization.prefix(7).lowercased() == "bearer " else {
                return .failure(Refused("the Authorization header must be a Bearer token"))
            }
            let token = String(authorization.dropFirst(7))
            return bearer(token, now: now).map { Authentication(principal: $0, sessionSecret: nil) }
        }
        if let secret = Self.cookieValue(cookie, named: Self.sessionCookie) {
            return session(secret, now: now).map { Authentication(principal: $0, sessionSecret: secret) }
        }
        return .failure(Refused("credentials are required: an Authorization: Bearer token or a session"))
    }

    /// The CSRF token that goes with a session: derived from its secret (HMAC), so it needs no storage and changes
    /// with every sign-in.
    public static func csrfToken(for sessionSecret: String) -> String {
        Base64.encodeURLSafe(HMACSHA256.authenticate(Array("csrf".utf8), key: Array(sessionSecret.utf8)))
    }

    /// Drops every cached token (after a revocation or a user change).
    public func forget() {
        lock.lock()
        tokens.removeAll()
        lock.unlock()
    }

    private func bearer(_ token: String, now: Int64) -> Result<Principal, Refused> {
        if let bootstrapDigest, ConstantTime.equals(SHA256Digest.hash(Array(token.utf8)), bootstrapDigest) {
            return .success(Principal.bootstrap)
        }
        guard CredentialSecret.isWellFormed(token, prefix: CredentialSecret.tokenPrefix) else {
            return .failure(Refused(bootstrapDigest == nil && !token.hasPrefix(CredentialSecret.tokenPrefix)
                ? "the bearer token is not valid (no ADMIN_TOKEN is configured)" : "the bearer token is not valid"))
        }
        let digest = CredentialSecret.digest(token)
        guard let record = cachedToken(digest, now: now) else {
            return .failure(Refused("the bearer token is not valid"))
        }
        switch record.status(at: now) {
        case "revoked": return .failure(Refused("the bearer token has been revoked"))
        case "expired": return .failure(Refused("the bearer token has expired"))
        default:
            touchToken(record.id, now: now)
            return .success(record.principal)
        }
    }

    private func cachedToken(_ digest: String, now: Int64) -> TokenRecord? {
        lock.lock()
        if let entry = tokens[digest], entry.fetchedAt > now - Self.cacheMilliseconds, entry.fetchedAt <= now {
            lock.unlock()
            return entry.record
        }
        lock.unlock()
        guard let record = try? database.read({ try TokenRecords.find(digest: digest, in: $0) }) else { return nil }
        lock.lock()
        if tokens.count >= 10_000 { tokens.removeAll() }
        tokens[digest] = (record, now)
        lock.unlock()
        return record
    }

    private func touchToken(_ id: Int64, now: Int64) {
        lock.lock()
        let due = (touchedTokens[id] ?? Int64.min) <= now - Self.touchIntervalMilliseconds
        if due { touchedTokens[id] = now }
        lock.unlock()
        if due { database.write({ try TokenRecords.touch(id, now: now, in: $0) }, completion: { _ in }) }
    }

    private func session(_ secret: String, now: Int64) -> Result<Principal, Refused> {
        guard CredentialSecret.isWellFormed(secret, prefix: CredentialSecret.sessionPrefix),
              let live = try? database.read({
                  try Sessions.live(digest: CredentialSecret.digest(secret), now: now, idle: sessionIdle, in: $0)
              })
        else { return .failure(Refused("the session has ended or expired; sign in again")) }
        if live.lastSeenAt <= now - Self.touchIntervalMilliseconds {
            database.write({ try Sessions.touch(live.id, now: now, in: $0) }, completion: { _ in })
        }
        return .success(live.user.principal(sessionID: live.id))
    }

    /// The value of cookie `name` in a `Cookie` header, or nil.
    public static func cookieValue(_ header: String?, named name: String) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            return String(trimmed[trimmed.index(after: equals)...])
        }
        return nil
    }
}
