import GatewayKit
import Identity
/// Checks and normalizes the value of each ``OutletField`` the same way for CSV cells, JSON imports and pushes:
/// ids, names, phones (``PhoneNumberFormat`` with the configured default country), dates (`YYYY-MM-DD` that exist),
/// statuses and IANA time zones.
public struct OutletFieldRules: Sendable {
    public static let maxIDLength = 64
    public static let maxNameLength = 255
    /// What ``id(_:)`` accepts, as an error message.
    public static let idRule = "must be 1 to \(maxIDLength) letters, digits, '-', '_', '.' or ':'"

    public let phoneFormat: PhoneNumberFormat
    public let defaultTimeZone: String

    public init(settings: POSSettings) {
        phoneFormat = settings.phoneFormat
        defaultTimeZone = settings.defaultTimeZone
    }

    /// POS ids (FID, OID): 1–64 letters, digits, `-`, `_`, `.` or `:`. Safe in a URL path and a log line as they are.
    public static func id(_ text: String) -> String? {
        let value = text.trimmingSpaces
        guard (1...maxIDLength).contains(value.utf8.count), value.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: ":"):
                return true
            default:
                return false
            }
        }) else { return nil }
        return value
    }

    /// Stores `text` as the value of `field` (not ``OutletField/phones``, see ``setPhones(_:on:)``). Empty text
    /// leaves an optional field unset; for a required field it is a problem.
    public func set(_ field: OutletField, _ text: String, on input: inout OutletInput) throws(OutletFieldProblem) {
        let value = text.trimmingSpaces
        if value.isEmpty {
            guard !field.isRequired else { throw OutletFieldProblem("is required") }
            return
        }
        switch field {
        case .fid, .oid:
            guard let id = Self.id(value) else {
                throw OutletFieldProblem(Self.idRule)
            }
            if field == .fid { input.fid = id } else { input.oid = id }
        case .franchiseName: input.franchiseName = try Self.name(value)
        case .name: input.name = try Self.name(value)
        case .expiryDate:
            guard let date = CalendarDate(value) else {
                throw OutletFieldProblem("must be a date YYYY-MM-DD that exists, got '\(value.prefix(40))'")
            }
            input.expiryDate = date
        case .status:
            guard let status = OutletStatus(text: value) else {
                throw OutletFieldProblem("must be one of \(OutletStatus.spelledOut), got '\(value.prefix(40))'")
            }
            input.status = status
        case .timeZone:
            guard IANATimeZones.contains(value) else {
                throw OutletFieldProblem("must be an IANA time zone such as Asia/Kuala_Lumpur, got '\(value.prefix(40))'")
            }
            input.timeZone = value
        case .phones:
            try setPhones(value.split(separator: ";").map(String.init), on: &input)
        }
    }

    /// Normalizes every phone (blank entries are skipped), then keeps them sorted without repeats.
    public func setPhones(_ texts: [String], on input: inout OutletInput) throws(OutletFieldProblem) {
        var phones: [String] = []
        for (index, text) in texts.enumerated() where !text.trimmingSpaces.isEmpty {
            do {
                phones.append(try phoneFormat.canonical(text))
            } catch {
                throw OutletFieldProblem("'\(text.trimmingSpaces.prefix(40))' \(error)", phoneIndex: index)
            }
        }
        phones.sort()
        input.phones = phones.enumerated().filter { $0.offset == 0 || phones[$0.offset - 1] != $0.element }.map(\.element)
    }

    private static func name(_ value: String) throws(OutletFieldProblem) -> String {
        // utf8.count bounds count from above and is O(1) for native strings: most names never need counting.
        guard value.utf8.count <= maxNameLength || value.count <= maxNameLength else { throw OutletFieldProblem("must be at most \(maxNameLength) characters") }
        // Cc, written out: the Unicode property lookup is measurably slow over 100,000 rows.
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw OutletFieldProblem("must not contain control characters")
        }
        return value
    }
}

/// Why one field's value was refused; the caller adds where (line and column, or JSON path).
public struct OutletFieldProblem: Error, Sendable, Equatable {
    public let message: String
    /// For phones: which entry of the list.
    public let phoneIndex: Int?

    init(_ message: String, phoneIndex: Int? = nil) {
        self.message = message
        self.phoneIndex = phoneIndex
    }
}
