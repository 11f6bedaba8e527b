/// A CSAT survey as the reply step judges answers against it: the survey, its ticket's status, and the answer so far.
public struct CSATSurvey: Sendable, Equatable {
    /// The rating recorded for a survey (the first one wins) and its comment, if any.
    public struct Response: Sendable, Equatable {
        public let rating: Int
        /// When the customer sent it, unix ms.
        public let respondedAt: Int64
        public let comment: String?

        public init(rating: Int, respondedAt: Int64, comment: String?) {
            self.rating = rating
            self.respondedAt = respondedAt
            self.comment = comment
        }
    }

    public let id: Int64
    public let ticketID: Int64
    /// `T-<id>`, as in the survey's button payloads.
    public let ticketRef: String
    public let sentAt: Int64
    public let expiresAt: Int64
    /// True while the ticket is still resolved or closed: the customer has not reopened it since the survey.
    public let ticketSettled: Bool
    public let response: Response?

    public init(id: Int64, ticketID: Int64, ticketRef: String, sentAt: Int64, expiresAt: Int64, ticketSettled: Bool,
                response: Response?) {
        self.id = id
        self.ticketID = ticketID
        self.ticketRef = ticketRef
        self.sentAt = sentAt
        self.expiresAt = expiresAt
        self.ticketSettled = ticketSettled
        self.response = response
    }
}
