/// One thing a caller may do through `/v1`. Every route states the permission it needs where it is registered; a
/// role is a set of them (``Role/permissions``). The raw value is the name the API, the route table and the docs show.
public enum Permission: String, Sendable, CaseIterable, Comparable {
    case ticketsRead = "tickets.read"
    /// Status, assignment, category, outcome, notes, outlet links and replies on conversation tickets; ticket records.
    case ticketsWrite = "tickets.write"
    case dealsRead = "deals.read"
    case dealsWrite = "deals.write"
    /// Contacts, their identifiers and the timeline of records.
    case contactsRead = "contacts.read"
    case contactsWrite = "contacts.write"
    case outletsRead = "outlets.read"
    /// POS pushes of outlets.
    case outletsWrite = "outlets.write"
    case renewalsRead = "renewals.read"
    case csatRead = "csat.read"
    /// Outbound WhatsApp messages, their statuses, the template list and the account's health.
    case messagesRead = "messages.read"
    case messagesSend = "messages.send"
    /// Dead letters, endpoint switches and test events: the delivery machinery.
    case deliveryManage = "delivery.manage"
    /// Users, their roles and scopes, API tokens.
    case usersManage = "users.manage"
    case auditRead = "audit.read"
    /// Segments: see them and their members; create them; edit, duplicate and refresh them; archive them.
    case segmentsView = "segments.view"
    case segmentsAdd = "segments.add"
    case segmentsManage = "segments.manage"
    case segmentsArchive = "segments.archive"
    /// WhatsApp campaigns to a segment's members: send and cancel them (reading them is `segments.view`).
    case campaignsSend = "campaigns.send"
    /// The organisation's own contact fields: define them, and bulk-upsert contacts' values.
    case contactFieldsManage = "contact_fields.manage"
    /// Canned replies and knowledge-base articles: write, change and delete them (reading them is `tickets.read`;
    /// sending a canned reply on a ticket is `tickets.write`).
    case knowledgeManage = "knowledge.manage"
    /// Leads entered by hand (a phone call, a fair): the contact, its lead ticket in the sales queue.
    case leadsCreate = "leads.create"
    /// Onboarding sessions on lead tickets: book, reschedule and cancel them (the slots and invites are `tickets.read`).
    case onboardingManage = "onboarding.manage"
    /// Subject-access exports and erasures of a person's data (PDPA).
    case personalDataManage = "personal_data.manage"
    /// The support desk's figures: ticket volume, response times, backlog, CSAT, outlets, renewals and leads.
    case analyticsRead = "analytics.read"
    /// Bulk CSV exports of tickets, their messages, CSAT answers, renewals, audit events and the analytics tables.
    case dataExport = "data.export"

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a route needs from its caller, declared with the route (``Permission`` or deliberately none).
public enum RoutePermission: Sendable, Equatable {
    /// No credential: health probes, metrics, signed webhooks (they verify their own signature) and the login itself.
    /// `reason` says why, so the route table documents the exception.
    case open(reason: String)
    /// Any valid credential (e.g. the caller's own session).
    case authenticated
    case requires(Permission)

    /// The label of the route table and the permission matrix.
    public var name: String {
        switch self {
        case .open: return "open"
        case .authenticated: return "authenticated"
        case .requires(let permission): return permission.rawValue
        }
    }
}
