import GatewayKit
/// The one phone-number normalizer. Every phone the gateway stores or looks up goes through it, so a number typed
/// `+60 12-345 6789` in the CRM, `012-3456789` in a POS export and a WhatsApp `wa_id` all become the same value.
///
/// The canonical form is the E.164 number without its `+` (`60123456789`): that is how WhatsApp sends `wa_id` and
/// how the identity and POS tables store phones; APIs show it with the `+` (``display(_:)``). Spaces, dashes and
/// parentheses are ignored; anything else that is not a digit (letters, dots, a `+` in the middle) is refused.
///
/// With a default country calling code (POS data is typed by people in one country) two national dialling
/// conventions are understood as well: the trunk prefix `0` (`012-3456789` → `60123456789`) and the `00`
/// international prefix (`0060123456789` → `60123456789`). Without one (``international``: WhatsApp and CRM values
/// are already international) a number starting with `0` is refused, since its country is unknown. Digits without a
/// prefix are taken as already international (`60123456789`).
public struct PhoneNumberFormat: Sendable, Equatable {
    /// Digits of a canonical number, country code included (E.164 allows at most 15).
    public static let digitCount = 7...15
    /// No default country: only international numbers.
    public static let international = PhoneNumberFormat()

    /// Country calling code (`60`) put in front of national numbers, or nil.
    public let defaultCountryCode: String?

    /// - Parameter defaultCountryCode: 1–3 digits not starting with 0 (check with ``isCountryCode(_:)``).
    public init(defaultCountryCode: String? = nil) {
        precondition(defaultCountryCode.map(Self.isCountryCode) ?? true, "not a country calling code")
        self.defaultCountryCode = defaultCountryCode
    }

    /// True for a country calling code: 1–3 digits, the first not 0.
    public static func isCountryCode(_ text: String) -> Bool {
        (1...3).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && !text.hasPrefix("0")
    }

    /// The canonical digits of `text`, or why it is not a phone number.
    public func canonical(_ text: String) throws(PhoneNumberError) -> String {
        // Bytes, not Characters: a POS import normalizes over 100,000 phones.
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var hasPlus = false
        for (index, byte) in text.trimmingSpaces.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"): continue
            case UInt8(ascii: "+") where index == 0: hasPlus = true
            default: throw .invalidCharacter(Self.character(at: index, in: text.trimmingSpaces))
            }
        }
        guard !digits.isEmpty else { throw .empty }
        var number = digits[...]
        if !hasPlus && number.first == UInt8(ascii: "0") {
            guard let code = defaultCountryCode else { throw .startsWithZero }
            number = number.starts(with: [48, 48]) ? number.dropFirst(2) : ArraySlice(code.utf8) + number.dropFirst()
        }
        guard number.first != UInt8(ascii: "0") else { throw .startsWithZero }
        guard Self.digitCount.contains(number.count) else { throw .digitCount(number.count) }
        return String(decoding: number, as: UTF8.self)
    }

    /// The character at UTF-8 offset `offset`, for the error message. Every accepted byte is ASCII, so the first
    /// refused one always starts a Unicode scalar.
    private static func character(at offset: Int, in text: String) -> Character {
        Character(text.unicodeScalars[text.utf8.index(text.utf8.startIndex, offsetBy: offset)])
    }

    /// The canonical digits of `text`, or nil.
    public func canonicalOrNil(_ text: String) -> String? {
        try? canonical(text)
    }

    /// A canonical number as people read it: `+60123456789`.
    public static func display(_ canonical: String) -> String { "+" + canonical }
}

/// Why a text is not a phone number; the description completes "phone …" / "column phones …" in error messages.
public enum PhoneNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalidCharacter(Character)
    /// A national number (or country code) starting with 0 with no default country code to resolve it.
    case startsWithZero
    /// Digits of the international number (country code included).
    case digitCount(Int)

    public var description: String {
        switch self {
        case .empty: return "has no digits"
        case .invalidCharacter(let character):
            return "contains '\(character)'; a phone has digits, a leading +, spaces, dashes and parentheses only"
        case .startsWithZero:
            return "starts with 0 but no country is known: write it as +<country code><number>"
        case .digitCount(let count):
            return "has \(count) digits with its country code; a phone number has "
                + "\(PhoneNumberFormat.digitCount.lowerBound) to \(PhoneNumberFormat.digitCount.upperBound)"
        }
    }
}
