/// The name of an outbound endpoint: what outbox rows, dead letters, metrics, logs, routes and the configuration call
/// it. A typed name rather than a string, so an endpoint cannot be confused with any other text; the built-in ones
/// are ``BuiltInEndpoint``s, an operator's come from the keys of `outbound.endpoints`.
public struct EndpointName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
                            ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }
    public init(stringLiteral name: String) { self.rawValue = name }

    public var description: String { rawValue }

    public static func < (lhs: EndpointName, rhs: EndpointName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Names an operator may use: 1-64 of a-z, 0-9, `_` and `-`.
    public var isValid: Bool { OutboundEndpoint.isValidName(rawValue) }
}
