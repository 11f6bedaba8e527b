import Storage

/// The migrations of the tables this module owns (ticket messages and their media, history, notes, replies and CSAT)
/// and, from before every table had one owner, the two that added the workflow columns to CRM's `tickets`. Append new
/// ones; never edit an applied one. Version numbers are shared with every other module's migrations: the app hands all
/// of them to the store.
public enum ConversationsSchema {
    public static let migrations: [Migration] = [
        ConversationTicketsMigration.migration,
        TicketRepliesMigration.migration,
        TicketEchoesMigration.migration,
        TicketMessageDeletionsMigration.migration,
        ConversationsRetention.migration,
        ContactCSATMigration.migration,
        ContactMessageTotalsMigration.migration,
        AgentAvailabilityMigration.migration,
        TicketMediaMigration.migration,
        DeskContentMigration.migration,
        LeadsMigration.migration,
        OnboardingMigration.migration,
        ConversationFiguresMigration.migration,
        TicketEventsMigration.migration,
        TicketEventsMigration.readingOrder,
        TicketEventsMigration.versionChanges,
        LeadsMigration.withoutContactIndex,
        TicketEventsMigration.openingsAndMessagesFromCode,
    ]
}
