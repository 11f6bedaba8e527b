import GatewayKit

extension TicketSettings {
    /// The keys of the `tickets` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<TicketSettings>] = [
        .optionalString("tickets.classification_file", env: "TICKET_CLASSIFICATION_FILE",
                        \.classificationFile),
        .duration("tickets.reopen_window", \.reopenWindowMilliseconds, range: 0...(365 * 86_400_000)),
        .duration("tickets.sla.first_response", \.firstResponseMilliseconds, range: 1_000...(365 * 86_400_000)),
        .duration("tickets.sla.resolution", \.resolutionMilliseconds, range: 1_000...(365 * 86_400_000)),
        .slaCategories("tickets.sla.categories", \.categoryTargets),
        .duration("tickets.sla.check_interval", \.slaCheckIntervalMilliseconds, range: 10...3_600_000),
        assignmentPolicy("support", \.supportAssignment), assignmentPolicy("sales", \.salesAssignment),
        assignmentPolicy("renewals", \.renewalsAssignment),
        .optionalString("tickets.assignment.lead_owner", env: "TICKETS_LEAD_OWNER", \.leadOwner),
        .duration("tickets.claim_duration", \.claimMilliseconds, range: 10_000...86_400_000),
        .duration("tickets.deleted_message_retention", \.deletedMessageRetentionMilliseconds,
                  range: 0...(3_650 * 86_400_000)),
    ]

    /// `tickets.assignment.<queue>`: `round_robin`, `least_open` or `none`.
    private static func assignmentPolicy(_ queue: String, _ keyPath: WritableKeyPath<TicketSettings, String> & Sendable)
        -> ConfigKey<TicketSettings> {
        .checkedText("tickets.assignment.\(queue)", env: "TICKETS_ASSIGNMENT_\(queue.uppercased())", keyPath,
                     isValid: { TicketAssignment.Policy(rawValue: $0) != nil },
                     reason: "must be round_robin, least_open or none")
    }
}
