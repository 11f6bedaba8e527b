/// An ordered list of HTTP header fields with case-insensitive name lookup.
///
/// Order and the original spelling of names are preserved (iteration yields fields exactly as
/// received), because signature schemes and logs sometimes care about them; lookups ignore
/// ASCII case as HTTP requires.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header line: the name as spelled by the sender and its value.
    public typealias Field = (name: String, value: String)

    private var fields: [Field] = []

    public init() {}

    /// Room for `capacity` fields before the storage grows: a request's fields are added one by one, and growing
    /// from empty would allocate a few times for every request.
    init(capacity: Int) {
        fields.reserveCapacity(capacity)
    }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value for `name`, compared case-insensitively; nil if absent.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value for `name`, in the order received.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether a field called `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// Appends a field; existing fields with the same name are kept.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Number of fields (repeated names count once per line).
    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// ASCII case-insensitive comparison without allocating lowercased copies, over the strings' contiguous bytes
    /// (every lookup compares the name with each field's until one matches).
    static func namesMatch(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var (a, b) = (a, b)
        return a.withUTF8 { a in
            b.withUTF8 { b in
                for index in a.indices where asciiLower(a[index]) != asciiLower(b[index]) { return false }
                return true
            }
        }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
