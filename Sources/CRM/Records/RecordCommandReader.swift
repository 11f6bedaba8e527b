import Foundation
import GatewayKit

/// Validates the payload of a deal or ticket command and reports every problem with its field path, so a sender
/// fixes all of them in one round trip. The same rules serve the webhooks (`data.*` paths, id in the payload) and the
/// REST API (root paths, id in the URL).
public enum RecordCommandReader {
    /// Where an update or delete finds the record id.
    public enum IDSource: Sendable {
        /// `id` in the payload (webhooks).
        case payload
        /// The URL path (`PATCH /v1/deals/{id}`); an `id` in the body is refused.
        case path(Int64)
    }

    public static let maxRoomIDLength = 128
    public static let maxContactIDLength = 64
    public static let maxCreatorFlagLength = 32
    public static let maxSourceLength = 64
    /// Amounts above this are surely a mistake (and lose precision as doubles).
    static let maxAmount = 1e15

    public static let maxUniqueIDLength = 64

    private static let commonKeys: Set<String> = ["id", "unique_id", "room_id", "contact_id", "creator_flag", "source"]
    private static let dealKeys = Set(RecordKind.deal.fields.map(\.name)).union(commonKeys)
    private static let ticketKeys = Set(RecordKind.ticket.fields.map(\.name)).union(commonKeys)

    /// - Parameter prefix: the path of `data` in the request body ("" for the root).
    public static func read(kind: RecordKind, action: RecordCommand.Action.Name, data sent: [String: JSONValue],
                            prefix: String, id idSource: IDSource) -> Result<(RecordCommand.Action, RecordInput), GatewayError> {
        let aliases = PayloadAliases.resolve(sent, aliases: kind.payloadAliases, prefix: prefix)
        let data = aliases.data
        var fields = FieldValidator(data, prefix: prefix)
        fields.merge(aliases.errors)
        let known = kind == .deal ? dealKeys : ticketKeys
        for key in data.keys.filter({ !known.contains($0) }).sorted() {
            fields.fail(key, "is not a \(kind.rawValue) field")
        }
        let reference = readReference(kind, action, idSource, data, aliases, &fields)
        var input = RecordInput()
        input.roomID = fields.boundedString("room_id", maxLength: maxRoomIDLength)
        input.contactID = fields.optionalIdentifier("contact_id")
        if let contact = input.contactID, !FieldValidator.fits(contact, maxLength: maxContactIDLength) {
            fields.fail("contact_id", "must be at most \(maxContactIDLength) characters")
        }
        input.creatorFlag = fields.boundedString("creator_flag", maxLength: maxCreatorFlagLength)
        input.source = fields.boundedString("source", maxLength: maxSourceLength)
        if action != .delete {
            let kindFields = kind.fields
            input.fields.reserveCapacity(kindFields.count)
            for field in kindFields {
                if let value = readField(field, data[field.name], isCreate: action == .create, &fields) {
                    input.fields[field.name] = value
                }
            }
        }
        guard fields.errors.isEmpty else { return .failure(.validation(aliases.renamed(fields.errors))) }
        switch action {
        case .create: return .success((.create, input))
        case .update: return .success((.update(reference!), input))
        case .delete: return .success((.delete(reference!), input))
        }
    }

    /// The record an update or delete names: the URL's id (REST) or the payload's `id` and/or `unique_id` (webhooks).
    /// A `unique_id` next to an id must name the same record, which the applier checks against the store. On create
    /// both are refused: the gateway assigns them.
    private static func readReference(_ kind: RecordKind, _ action: RecordCommand.Action.Name, _ source: IDSource,
                                      _ data: [String: JSONValue], _ aliases: PayloadAliases,
                                      _ fields: inout FieldValidator) -> RecordReference? {
        if action == .create {
            for key in ["id", "unique_id"] where data[key] != nil {
                fields.fail(key, "is assigned by the gateway when the \(kind.rawValue) is created; omit it (the answer "
                            + "carries the new id and unique_id)")
            }
            return nil
        }
        let errorsBefore = fields.errors.count
        let uniqueID = fields.boundedString("unique_id", maxLength: maxUniqueIDLength)
        let uniqueIDField = aliases.sentKey("unique_id")
        if case .path(let id) = source {
            if data["id"] != nil { fields.fail("id", "is taken from the URL; omit it from the body") }
            return RecordReference(id: id, uniqueID: uniqueID, uniqueIDField: uniqueIDField)
        }
        var id: Int64?
        if let text = fields.optionalIdentifier("id") {
            if let number = Int64(text), number > 0 { id = number } else {
                fields.fail("id", "must be a positive integer record id")
            }
        }
        if id == nil, uniqueID == nil, fields.errors.count == errorsBefore {
            fields.fail("id", "is required (or unique_id): it names the \(kind.rawValue) to change")
        }
        return RecordReference(id: id, uniqueID: uniqueID, uniqueIDField: uniqueIDField)
    }

    /// The field's value, nil when absent; `.null` only for an update clearing an optional field.
    private static func readField(_ field: RecordField, _ value: JSONValue?, isCreate: Bool,
                                  _ fields: inout FieldValidator) -> JSONValue? {
        guard let value, !value.isNull else {
            if field.required, isCreate {
                fields.fail(field.name, "is required")
            } else if field.required, value != nil {
                fields.fail(field.name, "cannot be cleared")
            }
            return value != nil && !isCreate ? .null : nil
        }
        let key = field.name
        switch field.type {
        case .text(let maxLength):
            guard let text = value.stringValue else { fields.fail(key, "must be a string, got \(value.typeName)"); return nil }
            return checkedText(text, key: key, maxLength: maxLength, &fields)
        case .reference(let maxLength):
            switch value {
            case .string(let text): return checkedText(text, key: key, maxLength: maxLength, &fields)
            case .integer(let number): return .string(String(number))
            default:
                fields.fail(key, "must be a string or an integer id, got \(value.typeName)")
                return nil
            }
        case .amount:
            guard let number = value.doubleValue, number.isFinite else {
                fields.fail(key, "must be a number, got \(value.typeName)")
                return nil
            }
            guard number >= 0, number <= maxAmount else {
                fields.fail(key, "must be between 0 and \(Int64(maxAmount))")
                return nil
            }
            return .number(number)
        case .timestamp:
            guard let text = value.stringValue, isTimestamp(text) else {
                fields.fail(key, "must be an RFC 3339 date-time (2026-07-01T09:30:00Z) or a date (2026-07-01)")
                return nil
            }
            return .string(text)
        }
    }

    private static func checkedText(_ text: String, key: String, maxLength: Int,
                                     _ fields: inout FieldValidator) -> JSONValue? {
        guard !text.isEmpty else { fields.fail(key, "must not be empty"); return nil }
        guard FieldValidator.fits(text, maxLength: maxLength) else {
            fields.fail(key, "must be at most \(maxLength) characters")
            return nil
        }
        return .string(text)
    }

    /// An RFC 3339 date-time or a full date whose calendar date exists (Foundation's parser alone would roll
    /// 2026-02-30 over into March).
    static func isTimestamp(_ text: String) -> Bool {
        guard CalendarDate(text.prefix(10)) != nil else { return false }
        if text.count == 10 { return true }
        let formatter = ISO8601DateFormatter()
        if formatter.date(from: text) != nil { return true }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) != nil
    }
}
