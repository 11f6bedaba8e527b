import Conversations
import Delivery
import XCTest

/// The pure rules behind CSAT answers: how a message is read (`CSATAnswer`) and judged against a survey
/// (`CSATReplyRules`), case by case.
final class CSATReplyRulesTests: XCTestCase {
    private static let sentAt: Int64 = 1_000_000
    private static let window: Int64 = 30 * 60_000

    private func message(_ type: InboundMessageType, text: String? = nil, button: InboundButtonReply? = nil,
                         interactive: InboundInteractiveReply? = nil) -> InboundMessage {
        InboundMessage(id: "wamid.1", channelID: "p", accountID: "w", senderPhone: "60123456789", timestamp: 1,
                       type: type, text: text, interactive: interactive, button: button)
    }

    private func survey(answered rating: Int? = nil, respondedAt: Int64 = sentAt + 1_000, comment: String? = nil,
                        settled: Bool = true) -> CSATSurvey {
        CSATSurvey(id: 1, ticketID: 5, ticketRef: "T-5", sentAt: Self.sentAt, expiresAt: Self.sentAt + 7 * 86_400_000,
                   ticketSettled: settled,
                   response: rating.map { .init(rating: $0, respondedAt: respondedAt, comment: comment) })
    }

    private func judge(_ answer: CSATAnswer, _ survey: CSATSurvey, after: Int64 = 60_000) -> CSATReplyRules.Verdict {
        CSATReplyRules.judge(answer, survey, at: Self.sentAt + after, commentWindow: Self.window)
    }

    func testMessagesAreReadAsButtonsNumbersTextOrNothing() {
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "csat:T-5:4", text: "4"))),
                       .button(ticketRef: "T-5", rating: 4))
        XCTAssertEqual(CSATAnswer(message(.interactive, interactive: .init(kind: .buttonReply, id: "csat:T-5:1"))),
                       .button(ticketRef: "T-5", rating: 1))
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "csat:T-5:6"))), .button(ticketRef: "T-5", rating: nil))
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "csat:T-5:+3"))), .button(ticketRef: "T-5", rating: nil))
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "csat::3"))), .button(ticketRef: nil, rating: nil))
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "csat:T-5:3:x"))), .button(ticketRef: nil, rating: nil))
        XCTAssertEqual(CSATAnswer(message(.button, button: .init(payload: "menu:help"))), .unrelated)
        XCTAssertEqual(CSATAnswer(message(.text, text: " 5\n")), .number(5))
        XCTAssertEqual(CSATAnswer(message(.text, text: "07")), .number(7))
        XCTAssertEqual(CSATAnswer(message(.text, text: "12345")), .text("12345"))
        XCTAssertEqual(CSATAnswer(message(.text, text: "5 stars")), .text("5 stars"))
        XCTAssertEqual(CSATAnswer(message(.text, text: "  ")), .unrelated)
        XCTAssertEqual(CSATAnswer(message(.image)), .unrelated)
    }

    func testButtonsAreAlwaysTakenByCSAT() {
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: 4), survey()), .rating(4, .button))
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: 4), survey(settled: false)), .rating(4, .button))
        XCTAssertEqual(judge(.button(ticketRef: "T-6", rating: 4), survey()), .ignored(.otherTicket, consumed: true))
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: nil), survey()), .ignored(.invalidRating, consumed: true))
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: 2), survey(answered: 4)), .ignored(.duplicate, consumed: true))
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: 2), survey(), after: 7 * 86_400_000 + 1),
                       .ignored(.expired, consumed: true))
        XCTAssertEqual(judge(.button(ticketRef: "T-5", rating: 2), survey(), after: 7 * 86_400_000), .rating(2, .button),
                       "the window's last millisecond still counts")
    }

    func testTypedAnswersWhileTheSurveyWaits() {
        XCTAssertEqual(judge(.number(3), survey()), .rating(3, .text))
        XCTAssertEqual(judge(.number(7), survey()), .ignored(.invalidRating, consumed: false))
        XCTAssertEqual(judge(.number(0), survey()), .ignored(.invalidRating, consumed: false))
        XCTAssertEqual(judge(.text("abc"), survey()), .ignored(.notARating, consumed: false))
        XCTAssertEqual(judge(.number(3), survey(), after: 7 * 86_400_000 + 1), .ignored(.expired, consumed: false))
        XCTAssertEqual(judge(.text("abc"), survey(), after: 7 * 86_400_000 + 1), .unrelated)
        XCTAssertEqual(judge(.number(3), survey(settled: false)), .unrelated, "a reopened ticket's digits answer the agent")
        XCTAssertEqual(judge(.text("abc"), survey(settled: false)), .unrelated)
        XCTAssertEqual(judge(.unrelated, survey()), .unrelated)
    }

    func testAfterTheRatingComesOneComment() {
        let rated = survey(answered: 4, respondedAt: Self.sentAt + 60_000)
        XCTAssertEqual(judge(.text("great"), rated, after: 60_000 + Self.window), .comment("great"))
        XCTAssertEqual(judge(.text("great"), rated, after: 60_000 + Self.window + 1), .unrelated)
        XCTAssertEqual(judge(.number(5), rated, after: 120_000), .ignored(.duplicate, consumed: true))
        XCTAssertEqual(judge(.number(10), rated, after: 120_000), .comment("10"))
        XCTAssertEqual(judge(.text("more"), survey(answered: 4, respondedAt: Self.sentAt + 60_000, comment: "great"),
                             after: 120_000), .unrelated)
        XCTAssertEqual(CSATReplyRules.judge(.text("great"), rated, at: Self.sentAt + 60_000, commentWindow: 0), .unrelated,
                       "a zero comment window takes no comments")
    }
}
