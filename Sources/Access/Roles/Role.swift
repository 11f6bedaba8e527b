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
        case .sales: return conversations.union([.dealsRead, .dealsWrite, .contactsWrite, .campaignsSend])
        case .renewal: return conversations.union([.renewalsRead])
        case .admin: return Set(Permission.allCases)
        }
    }

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Comma-separated names, for error messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
