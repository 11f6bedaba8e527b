import Storage

/// The users other modules may read, inside their own transactions: who works in the gateway and what they may see.
public enum UserDirectory {
    /// Users not disabled whose role is one of `roles`, by email.
    public static func active(roles: Set<Role>, in c: any DatabaseConnection) throws -> [UserRecord] {
        try UserRecords.all(in: c).filter { $0.disabledAt == nil && roles.contains($0.role) }
            .sorted { $0.email.lowercased() < $1.email.lowercased() }
    }

    /// The user signing in with `email` (any case), nil when none.
    public static func find(email: String, in c: any DatabaseConnection) throws -> UserRecord? {
        try UserRecords.find(email: email, in: c)
    }
}
