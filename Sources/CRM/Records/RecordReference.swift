/// How an update or delete names its record: by the CRM `id`, by the `unique_id` the create answered with, or by
/// both — which must then name the same record.
public struct RecordReference: Sendable, Equatable, CustomStringConvertible {
    public let id: Int64?
    public let uniqueID: String?
    /// The payload key the unique id came under (`unique_id`, or an alias such as `crm_unique_ticket_id`), so an
    /// error about it names the field the sender used.
    public let uniqueIDField: String

    /// Nil when neither an id nor a unique id is given.
    public init?(id: Int64?, uniqueID: String?, uniqueIDField: String = "unique_id") {
        guard id != nil || uniqueID != nil else { return nil }
        self.id = id
        self.uniqueID = uniqueID
        self.uniqueIDField = uniqueIDField
    }

    public static func id(_ id: Int64) -> RecordReference { RecordReference(id: id, uniqueID: nil)! }
    public static func uniqueID(_ uniqueID: String) -> RecordReference { RecordReference(id: nil, uniqueID: uniqueID)! }

    /// `id 7` or `unique_id 0190…` (errors and logs).
    public var description: String {
        if let id { return "id \(id)" }
        return "\(uniqueIDField) \(uniqueID ?? "")"
    }
}
