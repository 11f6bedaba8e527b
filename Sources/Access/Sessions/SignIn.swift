import Delivery
import Dispatch
import GatewayKit
import Storage

/// Console sign-in and sign-out. A sign-in checks the password off the HTTP threads (PBKDF2 is slow on purpose), takes
/// as long for an unknown email as for a known one, counts failures in the ``LoginThrottle`` and, on success, writes the
/// session and its audit row in one transaction. The secret goes to the browser as an HttpOnly cookie; only its
/// digest is stored.
public struct SignIn: Sendable {
    /// A new session: the cookie's secret (shown once), its CSRF token, the user and when it ends at the latest.
    public struct Session: Sendable {
        public let secret: String
        public let csrfToken: String
        public let user: UserRecord
        public let expiresAt: Int64
    }

    private let database: any Database
    private let settings: AccessSettings
    private let throttle: LoginThrottle
    private let decoy: String

    public init(database: any Database, settings: AccessSettings, throttle: LoginThrottle) {
        self.database = database
        self.settings = settings
        self.throttle = throttle
        decoy = PasswordHash.decoy(iterations: settings.passwordIterations)
    }

    /// `{"email", "password"}` → a session, 401 for a wrong pair or a disabled user (one message for all, so it does
    /// not tell which emails exist), 429 while throttled.
    public func signIn(_ body: JSONValue, requestID: String?, sourceIP: String?, now: Int64,
                       answer: @escaping Answer<Session>) {
        guard let object = body.objectValue else {
            return answer(.failure(.validation([FieldError(field: "(body)", message: "must be a JSON object")])))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["email", "password"])
        let email = v.requiredString("email")?.lowercased(), password = v.requiredString("password")
        if let password, password.utf8.count > PasswordHash.maximumBytes {
            v.fail("password", "must be at most \(PasswordHash.maximumBytes) bytes")
        }
        guard v.errors.isEmpty, let email, let password else { return answer(.failure(.validation(v.errors))) }
        if let seconds = throttle.retryAfter(email: email, address: sourceIP, now: now) {
            return answer(.failure(.tooManyRequests("too many failed sign-ins; try again later",
                                                    retryAfterSeconds: seconds)))
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let user = try? database.read { try UserRecords.find(email: email, in: $0) }
            let matches = PasswordHash.verify(password, against: user?.passwordHash ?? decoy)
            guard let user, matches, user.disabledAt == nil else {
                throttle.failed(email: email, address: sourceIP, now: now)
                return answer(.failure(.unauthorized("the email or password is not right")))
            }
            throttle.succeeded(email: email)
            start(for: user, requestID: requestID, sourceIP: sourceIP, now: now, answer: answer)
        }
    }

    /// Ends the caller's session (a no-op for other credentials).
    public func signOut(_ caller: Caller, now: Int64, answer: @escaping Answer<Void>) {
        guard caller.principal.kind == .session,
              let id = Int64(caller.principal.credentialID.dropFirst("session:".count))
        else { return answer(.success(())) }
        database.write({ c in
            try Sessions.end(id, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "session.ended", subjectType: "user",
                                             subjectID: caller.principal.userID.map(String.init)),
                                  by: caller, at: now, in: c)
        }, answer: answer)
    }

    private func start(for user: UserRecord, requestID: String?, sourceIP: String?, now: Int64,
                       answer: @escaping Answer<Session>) {
        let secret = CredentialSecret.make(prefix: CredentialSecret.sessionPrefix)
        let lifetime = Int64(settings.sessionLifetimeMilliseconds)
        database.write({ c in
            let id = try Sessions.insert(userID: user.id, digest: CredentialSecret.digest(secret), now: now,
                                         lifetime: lifetime, sourceIP: sourceIP, in: c)
            let caller = Caller(principal: user.principal(sessionID: id), requestID: requestID, sourceIP: sourceIP)
            try AuditTrail.record(AuditEntry(action: "session.started", subjectType: "user", subjectID: String(user.id)),
                                  by: caller, at: now, in: c)
            return Session(secret: secret, csrfToken: Authenticator.csrfToken(for: secret), user: user,
                           expiresAt: now + lifetime)
        }, answer: answer)
    }
}
