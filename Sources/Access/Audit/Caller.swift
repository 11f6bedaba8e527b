/// A change's origin as the audit log records it: the principal and the request it came with. Routes build it from
/// the request; the command line uses ``commandLine``.
public struct Caller: Sendable, Equatable {
    public let principal: Principal
    public let requestID: String?
    /// Numeric client address, when the change came over HTTP.
    public let sourceIP: String?

    public init(principal: Principal, requestID: String?, sourceIP: String?) {
        self.principal = principal
        self.requestID = requestID
        self.sourceIP = sourceIP
    }

    /// The operator at the gateway's command line.
    public static let commandLine = Caller(principal: .commandLine, requestID: nil, sourceIP: nil)

    /// The name the ticket history and other records show as who did it.
    public var actor: String { principal.actor }
}
