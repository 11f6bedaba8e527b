import Storage

/// The users other modules may read, inside their own transactions: who works in the gateway and what they may see.
public enum UserDirectory {
    /// Users not disabled whose role is one of `roles` and whose email is one of `emails` (any case), by email.
    public static func active(roles: Set<Role>, among emails: Set<String>,
                              in c: any DatabaseConnection) throws -> [UserRecord] {
        guard !emails.isEmpty else { return [] }
        let role = SQLCondition.membership("role", roles.map(\.rawValue))
        let email = SQLCondition.membership("lower(email)", emails.map { $0.lowercased() })
        return try UserRecords.select("disabled_at IS NULL AND \(role.sql) AND \(email.sql)",
                                      role.parameters + email.parameters, in: c)
            .sorted { $0.email.lowercased() < $1.email.lowercased() }
    }

    /// The user signing in with `email` (any case), nil when none.
    public static func find(email: String, in c: any DatabaseConnection) throws -> UserRecord? {
        try UserRecords.find(email: email, in: c)
    }
}
