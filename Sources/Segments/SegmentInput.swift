import GatewayKit

/// `POST /v1/segments` and `PATCH /v1/segments/{id}`: `{"name", "description"?, "logic"?, "groups"}` — a name of 1
/// to 60 characters, a description of at most 250, and a rule (``SegmentRule``); every problem named by its path.
public struct SegmentInput: Sendable, Equatable {
    public static let maxName = 60
    public static let maxDescription = 250

    public let name: String
    public let description: String?
    public let rule: SegmentRule

    public init(name: String, description: String?, rule: SegmentRule) {
        self.name = name
        self.description = description
        self.rule = rule
    }

    /// Reads `body` against `catalogue` (the fields segments may use now).
    public static func read(_ body: JSONValue, catalogue: SegmentCatalogue = SegmentCatalogue())
        -> Result<SegmentInput, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["name", "description", "logic", "groups"])
        let name = v.requiredString("name")?.trimmingSpaces
        if let name, name.isEmpty || name.count > maxName { v.fail("name", "must be 1 to \(maxName) characters") }
        let description = v.boundedString("description", maxLength: maxDescription)
        let rule = SegmentRule.read(object, catalogue: catalogue, into: &v)
        guard v.errors.isEmpty, let name, let rule else { return .failure(.validation(v.errors)) }
        return .success(SegmentInput(name: name, description: description, rule: rule))
    }

    /// Just a rule (`POST /v1/segments/preview`).
    public static func readRule(_ body: JSONValue, catalogue: SegmentCatalogue = SegmentCatalogue())
        -> Result<SegmentRule, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["logic", "groups", "name", "description"])
        let rule = SegmentRule.read(object, catalogue: catalogue, into: &v)
        guard v.errors.isEmpty, let rule else { return .failure(.validation(v.errors)) }
        return .success(rule)
    }
}
