import Storage

/// The migrations of the tables this module owns (POS outlets, renewal cycles and their replies, the outlets offered
/// for a ticket), of the outlet names it provides to CRM's `outlet_labels` view and, from before every table had one
/// owner, the one that added the outlet columns to CRM's `tickets`. Append new ones; never edit an applied one. Version
/// numbers are shared with every other module's migrations: the app hands all of them to the store.
public enum RetailSchema {
    public static let migrations: [Migration] = [
        POSMigration.migration,
        RenewalsMigration.migration,
        TicketOutletMigration.migration,
        RenewalRepliesMigration.migration,
        OutletLabelsMigration.migration,
        RenewalTemplateSkipMigration.migration,
        RenewalFiguresMigration.migration,
        ContactOutletOrderMigration.migration,
    ]
}
