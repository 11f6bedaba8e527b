/// How a customer message is taken against the customer's newest survey (a pure rule, so every case is testable):
///
/// | message | survey state | verdict |
/// |---|---|---|
/// | button `csat:<ref>:<1-5>` | ref is the surveyed ticket, unanswered, within `csat.response_window` | **rating** |
/// | button, malformed or rating not 1–5 | any | ignored `invalid_rating` |
/// | button for another ticket's ref | any | ignored `other_ticket` |
/// | button | already answered | ignored `duplicate` (**the first rating wins**) |
/// | button | past the response window | ignored `expired` |
/// | text `1`–`5` | unanswered, ticket still resolved/closed, in the window | **rating** |
/// | text `1`–`5` | unanswered, ticket still resolved/closed, past the window | ignored `expired`, flows on |
/// | text of other digits (`7`, `0`) | unanswered, ticket still resolved/closed, in the window | ignored `invalid_rating`, flows on |
/// | other text (`abc`) | unanswered, ticket still resolved/closed, in the window | ignored `not_a_rating`, flows on |
/// | text `1`–`5` | answered, comment window open | ignored `duplicate` |
/// | any other text | answered, no comment yet, within `csat.comment_window` of the rating | **comment** |
/// | anything else | | not a CSAT answer: flows on, not counted |
///
/// Buttons are always taken by CSAT (a tap on a survey never opens or reopens a ticket); a typed message that is
/// not a valid rating is an ordinary message and flows on to the ticket step (which may reopen the ticket). Typed
/// ratings count only while the ticket is still resolved or closed: once the customer reopened it, a "5" answers
/// the agent, not the survey.
public enum CSATReplyRules {
    /// Why an answer was ignored (the `outcome` label of `gateway_csat_replies_total`).
    public enum Ignored: String, Sendable {
        case invalidRating = "invalid_rating"
        case otherTicket = "other_ticket"
        case duplicate
        case expired
        case notARating = "not_a_rating"
    }

    public enum Verdict: Sendable, Equatable {
        case rating(Int, CSATAnswer.Source)
        case comment(String)
        /// Counted and logged; `consumed` says whether the message stops here or flows on to the ticket step.
        case ignored(Ignored, consumed: Bool)
        /// Not a CSAT answer.
        case unrelated
    }

    /// - Parameters:
    ///   - at: when the customer sent the message, unix ms.
    ///   - commentWindow: `csat.comment_window` in ms (0 = no comments).
    public static func judge(_ answer: CSATAnswer, _ survey: CSATSurvey, at: Int64, commentWindow: Int64) -> Verdict {
        let expired = at > survey.expiresAt
        let awaiting = survey.response == nil && survey.ticketSettled
        let commentOpen = survey.response.map {
            commentWindow > 0 && $0.comment == nil && at <= $0.respondedAt + commentWindow
        } ?? false
        switch answer {
        case .button(let ref, let rating):
            guard let ref, let rating else { return .ignored(.invalidRating, consumed: true) }
            if ref != survey.ticketRef { return .ignored(.otherTicket, consumed: true) }
            if survey.response != nil { return .ignored(.duplicate, consumed: true) }
            if expired { return .ignored(.expired, consumed: true) }
            return .rating(rating, .button)
        case .number(let number):
            let valid = (1...5).contains(number)
            if commentOpen { return valid ? .ignored(.duplicate, consumed: true) : .comment(String(number)) }
            guard awaiting else { return .unrelated }
            if expired { return .ignored(.expired, consumed: false) }
            return valid ? .rating(number, .text) : .ignored(.invalidRating, consumed: false)
        case .text(let text):
            if commentOpen { return .comment(text) }
            return awaiting && !expired ? .ignored(.notARating, consumed: false) : .unrelated
        case .unrelated:
            return .unrelated
        }
    }
}
