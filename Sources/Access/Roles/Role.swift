/// What a user or API token is for. Each role is a fixed set of ``Permission``s — least privilege: an agent works
/// tickets, sales works deals and leads, renewal staff work renewals, admins run the gateway and its users.
public enum Role: String, Sendable, CaseIterable {
    case agent
    case sales
    case renewal
    case admin

    /// The role's permissions.
    public var permissions: Set<Permission> {
        let conversations: Set<Permission> = [.ticketsRead, .ticketsWrite, .contactsRead, .outletsRead, .messagesRead,
                                              .messagesSend, .segmentsView]
        switch self {
        case .agent: return conversations.union([.contactsWrite, .csatRead])
        case .sales: return conversations.union([.dealsRead, .dealsWrite, .contactsWrite, .campaignsSend, .segmentsAdd,
                                                 .segmentsManage, .segmentsArchive, .leadsCreate, .onboardingManage])
        case .renewal: return conversations.union([.renewalsRead])
        case .admin: return Set(Permission.allCases)
        }
    }

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// How far `permission` reaches for this role: every record, or only those the caller created (a permission the
    /// role lacks reaches nothing). Sales edit, refresh and archive only their own segments; admins any.
    public func reach(_ permission: Permission) -> PermissionReach? {
        guard allows(permission) else { return nil }
        return ownedOnly.contains(permission) ? .owned : .all
    }

    /// The permissions this role holds for its own records only.
    public var ownedOnly: Set<Permission> {
        self == .sales ? [.segmentsManage, .segmentsArchive] : []
    }

    /// Comma-separated names, for error messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}

/// The reach of a permission (the seeds' ALL / OWNED; DISABLED is not holding it).
public enum PermissionReach: String, Sendable {
    /// Every record.
    case all
    /// Only the records the caller created.
    case owned
}
