/// Where a change came from; every event of the change carries it.
struct WhatsAppChangeContext: Sendable {
    /// `entry[].id`.
    let wabaID: String
    /// `value.metadata.phone_number_id`.
    let phoneNumberID: String
}
