import Storage

/// The migrations of the tables this module owns (customers, their identifiers and phone bindings, contacts). Append
/// new ones; never edit an applied one. Version numbers are shared with every other module's migrations: the app hands
/// all of them to the store.
public enum IdentitySchema {
    public static let migrations: [Migration] = [
        IdentityMigration.migration,
        MarketingConsentMigration.migration,
        CustomerAcquisitionMigration.migration,
        CustomerErasureMigration.migration,
        CustomerProfilesMigration.migration,
        ContactFieldsMigration.migration,
        DefaultContactFieldsMigration.migration,
    ]
}
