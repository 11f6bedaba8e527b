import Storage

/// The migrations of the tables this module owns: the inbox, the outbox and dead letters, the endpoints a 410
/// disabled. Version numbers are shared with the other modules' migrations; the app hands all of them to the store.
public enum DeliverySchema {
    public static let migrations: [Migration] = [
        InboxMigration.migration,
        OutboxMigration.migration,
        DisabledEndpointsMigration.migration,
        OutboxFirstDueMigration.migration,
        OutboxLiveIndexMigration.migration,
    ]
}
