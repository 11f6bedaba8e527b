/// A key of an object that ``JSONParser`` checks without building it. Its only use is the duplicate check, which
/// must decide exactly as comparing decoded strings does, so a plain ASCII key (nearly every key) is kept as where its
/// bytes are in the input and compared byte for byte — no string made per key — and any other key is decoded: an
/// escape, or a non-ASCII character that Swift's string equality may find equal to other bytes (canonical
/// equivalence: U+212A KELVIN SIGN equals "K").
enum SkimmedKey {
    /// The key's bytes between its quotes: ASCII, no escape.
    case ascii(Range<Int>)
    /// Any other key, decoded.
    case decoded(String)

    /// Whether `a` and `b` name the same member of an object read from `bytes`, as `String` equality decides.
    static func same(_ a: SkimmedKey, _ b: SkimmedKey, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard case .ascii(let x) = a, case .ascii(let y) = b else { return a.text(in: bytes) == b.text(in: bytes) }
        guard x.count == y.count else { return false }
        return UnsafeBufferPointer(rebasing: bytes[x]).elementsEqual(UnsafeBufferPointer(rebasing: bytes[y]))
    }

    /// The key's text (for a set of many keys, or to name a duplicate).
    func text(in bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { text(in: $0) }
    }

    func text(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .ascii(let range): return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let text): return text
        }
    }
}
