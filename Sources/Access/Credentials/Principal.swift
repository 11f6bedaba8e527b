/// Who is calling, as worked out from the request's credential: the role and scope every check uses and the names the
/// audit log and the ticket history record. Routes get it from the access gate; nothing takes "who" from a body.
public struct Principal: Sendable, Equatable {
    /// How the caller proved who they are.
    public enum Kind: String, Sendable {
        /// The operator's `ADMIN_TOKEN` from the configuration.
        case bootstrap
        /// An API token (`gateway token create`, `POST /v1/tokens`).
        case token
        /// A console session (`POST /v1/session`).
        case session
        /// The command line on the gateway's machine.
        case cli
        /// The gateway itself, deciding on its own (assigning tickets to agents).
        case system
    }

    public let kind: Kind
    /// The credential: `token:<id>`, `session:<user id>`, `bootstrap`, `cli`. What the audit log records as
    /// `credential_id`.
    public let credentialID: String
    /// The user behind a session (and behind tokens created for a user), nil for tokens and the bootstrap token.
    public let userID: Int64?
    /// What the ticket history and the audit log show as the actor: the user's email, the token's name, `admin`
    /// (bootstrap) or `cli`.
    public let actor: String
    public let role: Role
    public let scope: AccessScope

    public init(kind: Kind, credentialID: String, userID: Int64?, actor: String, role: Role, scope: AccessScope) {
        self.kind = kind
        self.credentialID = credentialID
        self.userID = userID
        self.actor = actor
        self.role = role
        self.scope = scope
    }

    /// The `ADMIN_TOKEN` caller: admin, unrestricted.
    public static let bootstrap = Principal(kind: .bootstrap, credentialID: "bootstrap", userID: nil, actor: "admin",
                                            role: .admin, scope: .unrestricted)

    /// The operator at the command line: admin, unrestricted.
    public static let commandLine = Principal(kind: .cli, credentialID: "cli", userID: nil, actor: "cli",
                                              role: .admin, scope: .unrestricted)

    /// The gateway itself, under the name `actor` (``Kind/system``): admin, unrestricted.
    public static func system(_ actor: String) -> Principal {
        Principal(kind: .system, credentialID: "system", userID: nil, actor: actor, role: .admin, scope: .unrestricted)
    }

    public func allows(_ permission: Permission) -> Bool { role.allows(permission) }
}
