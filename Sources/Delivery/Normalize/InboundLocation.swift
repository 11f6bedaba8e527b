import GatewayKit
/// A shared location pin.
public struct InboundLocation: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public var name: String?
    public var address: String?

    public init(latitude: Double, longitude: Double, name: String? = nil, address: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.name = name
        self.address = address
    }

    /// `{"latitude", "longitude", "name"?, "address"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["latitude": .number(latitude), "longitude": .number(longitude)]
        o.put("name", name)
        o.put("address", address)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(latitude: try r.double("latitude"), longitude: try r.double("longitude"),
                  name: try r.optionalString("name"), address: try r.optionalString("address"))
    }
}
