import GatewayKit

/// `POST /v1/tickets/assignments {"assignee": string|null, "tickets": [{"id", "version"?}, …]}`: one assignee for
/// up to ``maxTickets`` tickets. Each ticket is then assigned on its own, exactly as by its assignment route — its
/// `version` is that route's `If-Match` (absent: no check) — so one refused ticket leaves the others alone and none
/// is ever half changed. Every bad field is named in a single 400 (`tickets[2].version`).
public struct TicketBulkAssignment: Sendable {
    public struct Item: Sendable, Equatable {
        public let id: Int64
        /// The version the caller saw; a ticket changed since is refused (412).
        public let version: Int64?
    }

    public static let maxTickets = 100

    /// The assignment each ticket gets (an assignment request as the caller).
    public let change: TicketWorkflowRequest
    /// The tickets, in the order asked.
    public let items: [Item]

    public static func read(_ body: JSONValue, actor: String) -> Result<TicketBulkAssignment, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["assignee", "tickets"])
        var change: TicketWorkflowRequest?
        switch TicketWorkflowRequest.read(.assignment, body: .object(object.filter { $0.key == "assignee" }), actor: actor) {
        case .success(let read): change = read
        case .failure(.validation(let errors)): fields.merge(errors)
        case .failure(let error): return .failure(error)
        }
        let items = fields.requiredArray("tickets").map { readItems($0, into: &fields) } ?? []
        guard fields.errors.isEmpty, let change else { return .failure(.validation(fields.errors)) }
        return .success(TicketBulkAssignment(change: change, items: items))
    }

    private static func readItems(_ list: [JSONValue], into fields: inout FieldValidator) -> [Item] {
        guard (1...maxTickets).contains(list.count) else {
            fields.fail("tickets", "must hold 1-\(maxTickets) tickets, got \(list.count)")
            return []
        }
        var items: [Item] = []
        var seen = Set<Int64>()
        for (index, entry) in list.enumerated() {
            let key = "tickets[\(index)]"
            guard let object = entry.objectValue else {
                fields.fail(key, "must be an object {\"id\", \"version\"?}, got \(entry.typeName)")
                continue
            }
            var item = FieldValidator(object, prefix: key)
            item.rejectUnknownKeys(allowed: ["id", "version"])
            let id = item.requiredInteger("id", in: 1...Int64.max)
            let version = object["version"] == nil ? nil : item.requiredInteger("version", in: 0...Int64.max)
            if let id, !seen.insert(id).inserted { item.fail("id", "names ticket \(id) a second time") }
            fields.merge(item)
            if let id { items.append(Item(id: id, version: version)) }
        }
        return items
    }
}
