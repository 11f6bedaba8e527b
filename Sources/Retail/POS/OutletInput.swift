import GatewayKit
/// What one POS row or push says about an outlet, already validated and normalized (``OutletFieldRules``). Fields
/// left nil keep the stored value; an outlet that does not exist yet needs `fid`, `name`, `expiryDate` and `status`
/// (imports always carry them; a push may be partial for a known outlet).
public struct OutletInput: Sendable, Equatable {
    public var oid: String
    public var fid: String?
    /// Creates the franchise when its FID is unknown, renames it when different.
    public var franchiseName: String?
    public var name: String?
    public var phones: [String]?
    public var expiryDate: CalendarDate?
    public var status: OutletStatus?
    public var timeZone: String?

    public init(oid: String, fid: String? = nil, franchiseName: String? = nil, name: String? = nil,
                phones: [String]? = nil, expiryDate: CalendarDate? = nil, status: OutletStatus? = nil,
                timeZone: String? = nil) {
        self.oid = oid
        self.fid = fid
        self.franchiseName = franchiseName
        self.name = name
        self.phones = phones
        self.expiryDate = expiryDate
        self.status = status
        self.timeZone = timeZone
    }
}
