import Storage

/// Which franchises and outlets a user or token may see: a list of grants, each a franchise (every outlet of it), an
/// outlet, or an outlet of a franchise. No grants = unrestricted (admins, integrations). Records outside the scope are
/// invisible to the caller: routes answer 404 for them, as for records that do not exist.
public struct AccessScope: Sendable, Equatable {
    /// One grant: `fid` alone = the whole franchise; `oid` = that outlet (of `fid` when both are given).
    public struct Grant: Sendable, Equatable, Hashable {
        public let fid: String?
        public let oid: String?

        public init(fid: String?, oid: String?) {
            self.fid = fid
            self.oid = oid
        }

        /// `FID`, `FID/OID` or `/OID` (an outlet of any franchise), as the CLI and the API take them.
        public init?(text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, parts.allSatisfy({ Self.isValidPart($0) || $0.isEmpty }) else { return nil }
            let fid = parts[0].isEmpty ? nil : parts[0]
            let oid = parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil
            guard fid != nil || oid != nil, parts.count == 1 || oid != nil else { return nil }
            self.init(fid: fid, oid: oid)
        }

        public var text: String { oid.map { "\(fid ?? "")/\($0)" } ?? fid ?? "" }

        /// True when a record of franchise `fid` and outlet `oid` falls under this grant.
        public func covers(fid recordFID: String?, oid recordOID: String?) -> Bool {
            if let oid { return oid == recordOID && (fid == nil || fid == recordFID) }
            return fid != nil && fid == recordFID
        }

        /// Printable ASCII without separators, at most 64 characters: what POS identifiers look like.
        private static func isValidPart(_ part: String) -> Bool {
            !part.isEmpty && part.utf8.count <= 64
                && part.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ",") }
        }
    }

    public let grants: [Grant]

    public init(_ grants: [Grant] = []) { self.grants = grants }

    /// No restriction.
    public static let unrestricted = AccessScope()

    public var isUnrestricted: Bool { grants.isEmpty }

    /// True when the caller may see a record of franchise `fid` and outlet `oid`. A record with neither (a ticket not
    /// yet linked to an outlet) is visible only to unrestricted callers.
    public func covers(fid: String?, oid: String?) -> Bool {
        isUnrestricted || grants.contains { $0.covers(fid: fid, oid: oid) }
    }

    /// The grants as texts (`FID`, `FID/OID`, `/OID`).
    public var texts: [String] { grants.map(\.text) }
}

extension AccessScope {
    /// True when everything `other` lets its holder see is visible under this scope too: what a scoped admin may
    /// grant (a user or token never gets more than its creator has).
    public func includes(_ other: AccessScope) -> Bool {
        if isUnrestricted { return true }
        if other.isUnrestricted { return false }
        return other.grants.allSatisfy { wanted in
            grants.contains { held in
                if let oid = held.oid { return oid == wanted.oid && (held.fid == nil || held.fid == wanted.fid) }
                return held.fid == wanted.fid
            }
        }
    }
}

extension AccessScope {
    /// The rows of this scope, for a query whose franchise and outlet are in `fidColumn` and `oidColumn` (column names
    /// the caller's code knows); nil when unrestricted. A row with neither matches no grant.
    public func condition(fid fidColumn: String, oid oidColumn: String) -> SQLCondition? {
        guard !isUnrestricted else { return nil }
        var parts: [String] = []
        var parameters: [SQLValue] = []
        for grant in grants {
            switch (grant.fid, grant.oid) {
            case (let fid?, nil):
                parts.append("\(fidColumn) = ?")
                parameters.append(.text(fid))
            case (nil, let oid?):
                parts.append("\(oidColumn) = ?")
                parameters.append(.text(oid))
            case (let fid?, let oid?):
                parts.append("(\(fidColumn) = ? AND \(oidColumn) = ?)")
                parameters += [.text(fid), .text(oid)]
            case (nil, nil):
                continue
            }
        }
        return SQLCondition(sql: "(" + (parts.isEmpty ? "FALSE" : parts.joined(separator: " OR ")) + ")",
                            parameters: parameters)
    }
}
