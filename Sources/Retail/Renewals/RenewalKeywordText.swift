import Foundation

/// The cheap reading of a WhatsApp message as a possible keyword reply (STOP, RENEW, ...): the whole message without
/// surrounding white space, upper-cased. Every inbound message goes through the keyword steps, so plain ASCII (almost
/// every message) is trimmed by byte and only looked at when it is short enough to be a keyword: Foundation's
/// trimming of every inbound message cost more than the rest of such a step.
enum RenewalKeywordText {
    /// `text` trimmed and upper-cased, or nil when it is plain ASCII longer than `longest` bytes once trimmed (or
    /// only white space).
    static func normalized(_ text: String, longest: Int) -> String? {
        let bytes = text.utf8
        // Over the stored bytes where there are some (native strings): the view's own iterator costs several times more
        // per byte, and this reads every byte of every inbound message.
        let ascii = bytes.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } }
            ?? bytes.allSatisfy { $0 < 0x80 }
        guard ascii else {
            return text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }),
              bytes.distance(from: first, to: last) < longest
        else { return nil }
        return text[first...last].uppercased()
    }
}
