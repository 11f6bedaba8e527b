import GatewayKit

/// `POST /v1/users {"email", "password", "role", "scope"?, "name"?}` (and `gateway user create`).
public struct NewUser: Sendable {
    public let email: String
    public let password: String
    public let role: Role
    public let scope: AccessScope
    public let name: String?

    public init(email: String, password: String, role: Role, scope: AccessScope, name: String?) {
        self.email = email
        self.password = password
        self.role = role
        self.scope = scope
        self.name = name
    }

    public static func read(_ body: JSONValue) -> Result<NewUser, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "(body)", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["email", "password", "role", "scope", "name"])
        let email = v.email("email"), password = v.newPassword("password", required: true)
        let role = v.role("role", required: true), scope = v.scope("scope"), name = v.boundedString("name", maxLength: 200)
        guard v.errors.isEmpty, let email, let password, let role else { return .failure(.validation(v.errors)) }
        return .success(NewUser(email: email, password: password, role: role, scope: scope ?? .unrestricted,
                                name: name))
    }
}

/// `PATCH /v1/users/{id} {"role"?, "scope"?, "name"?, "password"?, "disabled"?}`: only the members given change.
public struct UserChange: Sendable {
    public var role: Role?
    public var scope: AccessScope?
    public var name: String?
    public var password: String?
    public var disabled: Bool?

    public static func read(_ body: JSONValue) -> Result<UserChange, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "(body)", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["role", "scope", "name", "password", "disabled"])
        let change = UserChange(role: v.role("role", required: false), scope: v.scope("scope"),
                                name: v.boundedString("name", maxLength: 200),
                                password: v.newPassword("password", required: false),
                                disabled: v.optionalBool("disabled"))
        if object.keys.allSatisfy({ $0.hasPrefix("_") }) && v.errors.isEmpty {
            v.fail("(body)", "must name at least one of role, scope, name, password, disabled")
        }
        return v.errors.isEmpty ? .success(change) : .failure(.validation(v.errors))
    }

    /// The members that change, for the audit log (never the password itself).
    var auditDetail: [String: JSONValue] {
        var detail: [String: JSONValue] = [:]
        detail.put("role", role?.rawValue)
        if let scope { detail["scope"] = .array(scope.texts.map(JSONValue.string)) }
        detail.put("disabled", disabled)
        if name != nil { detail["name_changed"] = true }
        if password != nil { detail["password_changed"] = true }
        return detail
    }
}
