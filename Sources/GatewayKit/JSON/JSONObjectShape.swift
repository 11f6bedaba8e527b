/// An object whose keys are known in advance (a record's API form, an event body). The keys are sorted and encoded
/// once, so writing one object appends its members straight to bytes, in the order ``JSONWriter`` sorts them, with no
/// dictionary built or sorted per object. The bytes are exactly what ``JSONWriter`` writes for the same members.
///
/// Inlinable, so that the caller's module specializes it for its `Member` type: unspecialized, each member costs
/// runtime generic metadata lookups (more than the dictionary it replaces).
public struct JSONObjectShape<Member: Sendable>: Sendable {
    /// The members in ascending key order.
    @usableFromInline let members: [Member]
    /// `members[i]`'s key, written as `"key":`.
    @usableFromInline let writtenKeys: [[UInt8]]

    /// - Parameter members: distinct keys, in any order.
    public init(_ members: [(key: String, member: Member)]) {
        precondition(Set(members.map(\.key)).count == members.count, "a JSON object shape repeats a key")
        let sorted = members.sorted { $0.key < $1.key }
        self.members = sorted.map(\.member)
        writtenKeys = sorted.map { JSONWriter.bytes(.string($0.key)) + [UInt8(ascii: ":")] }
    }

    /// The object whose member values `value` gives.
    @inlinable
    public func bytes(capacity: Int = 256, _ value: (Member) -> JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
        for index in members.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: writtenKeys[index])
            JSONWriter.write(value(members[index]), into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
