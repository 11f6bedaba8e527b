/// What an import or pull did: outlets inserted, updated or already as given; franchises created or renamed.
public struct POSImportReport: Sendable, Equatable, CustomStringConvertible {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var franchisesCreated = 0
    public var franchisesRenamed = 0

    public init() {}

    public var description: String {
        "\(inserted) inserted, \(updated) updated, \(unchanged) unchanged "
            + "(franchises: \(franchisesCreated) created, \(franchisesRenamed) renamed)"
    }

    mutating func count(_ write: OutletWriter.Write) {
        switch write.outcome {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
        switch write.franchise {
        case .created: franchisesCreated += 1
        case .renamed: franchisesRenamed += 1
        case .unchanged: break
        }
    }
}
