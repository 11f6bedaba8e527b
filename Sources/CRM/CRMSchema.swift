import Storage

/// The migrations of the tables this module owns (deals, tickets — every column, whichever module's rules set it —,
/// rooms, the timeline, API idempotency keys) and of the views it reads and publishes; new `tickets` columns are added
/// here. Append new ones; never edit an applied one. Version numbers are shared with every other module's migrations:
/// the app hands all of them to the store.
public enum CRMSchema {
    public static let migrations: [Migration] = [
        Migration(version: 3, name: "deals, tickets, rooms, timeline", sql: DealsSchema.sql,
                  postgres: DealsSchema.postgres),
        DealWritePathMigration.migration,
        RoomSlotRepairMigration.migration,
        CRMViewsMigration.migration,
        ContactTicketOutletsMigration.migration,
        ContactTotalsMigration.migration,
        CustomerRecordViewsMigration.migration,
        DealOutcomeViewsMigration.migration,
        ConversationAccountMigration.migration,
        TicketClaimsMigration.migration,
        TicketArchiveMigration.migration,
        TicketFiguresMigration.migration,
    ]
}
