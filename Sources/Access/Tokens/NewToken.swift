import GatewayKit

/// `POST /v1/tokens {"name", "role", "scope"?, "expires_in"?}` and `gateway token create --name N --role R
/// [--scope FID/OID] [--expires 90d]`. The name is what the audit log and ticket history show for the token's changes.
public struct NewToken: Sendable {
    /// Longest lifetime: ten years.
    public static let maxLifetime: Int64 = 3_650 * 86_400_000

    public let name: String
    public let role: Role
    public let scope: AccessScope
    /// Milliseconds from creation; nil = until revoked.
    public let lifetime: Int64?

    public init(name: String, role: Role, scope: AccessScope, lifetime: Int64?) {
        self.name = name
        self.role = role
        self.scope = scope
        self.lifetime = lifetime
    }

    public static func read(_ body: JSONValue) -> Result<NewToken, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "(body)", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["name", "role", "scope", "expires_in"])
        if object["name"] == nil || object["name"]?.isNull == true { v.fail("name", "is required") }
        let name = v.boundedString("name", maxLength: 100), role = v.role("role", required: true)
        let scope = v.scope("scope")
        var lifetime: Int64?
        if let text = v.optionalString("expires_in") {
            lifetime = Self.lifetime(text)
            if lifetime == nil { v.fail("expires_in", "must be a duration between 1m and 3650d (90d, 12h)") }
        }
        guard v.errors.isEmpty, let name, let role else { return .failure(.validation(v.errors)) }
        return .success(NewToken(name: name, role: role, scope: scope ?? .unrestricted, lifetime: lifetime))
    }

    /// A lifetime like `90d` or `12h` in milliseconds, nil when it is not one or out of range.
    public static func lifetime(_ text: String) -> Int64? {
        guard let millis = DurationText.milliseconds(text).map(Int64.init), millis >= 60_000, millis <= maxLifetime
        else { return nil }
        return millis
    }
}
