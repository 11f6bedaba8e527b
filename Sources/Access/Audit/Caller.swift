import GatewayKit
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

    /// Whether `permission` reaches a record created by `creator` (see ``Role/reach(_:)``): 403 otherwise.
    public func mayChange(createdBy creator: String, with permission: Permission) throws(GatewayError) {
        guard principal.role.reach(permission) == .owned, creator != actor else { return }
        throw GatewayError.forbidden("\(permission.rawValue) reaches only what you created (this was created by \(creator))")
    }
}
