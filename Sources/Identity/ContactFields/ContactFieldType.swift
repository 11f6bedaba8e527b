import GatewayKit

/// The types of the organisation's own contact fields (the seeds' custom fields), each with the values it accepts.
/// Values are stored as text (several rows for a multiple selection); numbers also as numbers and dates as
/// `YYYY-MM-DD`, so segments compare them as what they are.
public enum ContactFieldType: String, Sendable, CaseIterable {
    case singleLineText = "single_line_text"
    case multiLineText = "multi_line_text"
    case dropdown
    case multiSelect = "multi_select"
    case number
    case date
    case url
    case file
    case signature
    case gps

    /// Whether the field offers a fixed list of options (`options` on the definition).
    public var hasOptions: Bool { self == .dropdown || self == .multiSelect }

    /// Why a value does not fit its field (the message of the field error).
    public struct Mismatch: Error, Sendable {
        public let message: String
    }

    /// The stored values of `value` for a field of this type with `options`.
    /// - Throws: ``Mismatch`` saying why it does not fit.
    public func values(of value: JSONValue, options: [String]) throws(Mismatch) -> [String] {
        switch self {
        case .multiSelect:
            guard let items = value.arrayValue, !items.isEmpty, items.count <= 50 else {
                throw Mismatch(message: "must be an array of 1 to 50 of the field's options")
            }
            var picked: [String] = []
            for item in items {
                guard let text = item.stringValue, options.contains(text) else {
                    throw Mismatch(message: "must hold only the field's options (\(options.joined(separator: ", ")))")
                }
                if !picked.contains(text) { picked.append(text) }
            }
            return picked
        case .dropdown:
            guard let text = value.stringValue, options.contains(text) else {
                throw Mismatch(message: "must be one of the field's options (\(options.joined(separator: ", ")))")
            }
            return [text]
        case .number:
            guard let number = value.doubleValue, value.stringValue == nil, number.isFinite else { throw Mismatch(message: "must be a number") }
            return [Self.text(of: number)]
        case .date:
            guard let text = value.stringValue, let date = CalendarDate(text) else { throw Mismatch(message: "must be a date YYYY-MM-DD") }
            return [date.description]
        case .url:
            guard let text = value.stringValue, (1...2_000).contains(text.count), text.contains("."),
                  !text.unicodeScalars.contains(where: { $0.value <= 0x20 }) else { throw Mismatch(message: "must be a URL") }
            return [text]
        case .singleLineText, .multiLineText, .file, .signature, .gps:
            let limit = self == .multiLineText ? 10_000 : 1_000
            guard let text = value.stringValue, !text.isEmpty, text.count <= limit,
                  self == .multiLineText || !text.contains("\n") else {
                throw Mismatch(message: "must be a text of 1 to \(limit) characters\(self == .multiLineText ? "" : " on one line")")
            }
            return [text]
        }
    }

    /// A number as stored and shown in messages: whole numbers without a fraction (`12`, not `12.0`).
    static func text(of number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
