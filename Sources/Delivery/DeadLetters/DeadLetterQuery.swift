/// Which dead letters to list: optional endpoint and time filters, newest first, paged by id.
public struct DeadLetterQuery: Sendable, Equatable {
    public static let maxLimit = 500

    public var endpoint: EndpointName?
    /// Only letters that died at or after this unix ms.
    public var sinceMillis: Int64?
    /// Only letters with an id below this (the `next_cursor` of the previous page).
    public var beforeID: Int64?
    public var limit: Int

    public init(endpoint: EndpointName? = nil, sinceMillis: Int64? = nil, beforeID: Int64? = nil, limit: Int = 50) {
        self.endpoint = endpoint
        self.sinceMillis = sinceMillis
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// One page of dead letters; `nextCursor` is set when more (older) letters match.
public struct DeadLetterPage: Sendable, Equatable {
    public let items: [DeadLetter]
    public let nextCursor: Int64?
}
