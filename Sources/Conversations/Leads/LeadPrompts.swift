import Foundation
import Messaging

/// The questions a new lead is asked over WhatsApp and the thanks after the last answer, in the language of their
/// first message. The words are data (`texts/lead_capture.json` in the template folder, English and Malay); the
/// interest question is an interactive list whose rows come back as `lead_interest:<key>` (the stored interest is the
/// row's title as the customer read it). A typed answer to the interest question is kept as typed.
public enum LeadPrompts {
    public static let texts = WhatsAppTextSet(name: "lead_capture", fields: [
        "ask_name": 0, "ask_business": 0, "interest_body": 0, "interest_button": 0, "thanks": 0,
        "interest_pos": 0, "interest_online_ordering": 0, "interest_loyalty": 0, "interest_other": 0,
    ])
    /// The interest rows, in list order.
    static let interests = ["pos", "online_ordering", "loyalty", "other"]
    static let rowPrefix = "lead_interest:"

    /// What asks `question`.
    static func asking(_ question: LeadQuestion, in words: WhatsAppTexts) -> WhatsAppContent {
        switch question {
        case .name: return .text(words.text("ask_name"))
        case .business: return .text(words.text("ask_business"))
        case .interest:
            return .interactiveList(WhatsAppListMessage(
                body: words.text("interest_body"), button: words.text("interest_button"),
                rows: interests.map { .init(id: rowPrefix + $0, title: words.text("interest_\($0)")) }))
        }
    }

    static func thanks(in words: WhatsAppTexts) -> WhatsAppContent { .text(words.text("thanks")) }
}

/// The prompts as sent, built once per language and question: filling the words in was most of the work of asking.
final class LeadPromptContents: @unchecked Sendable {
    private struct Key: Hashable {
        let language: String
        let question: LeadQuestion?
    }

    private let texts: WhatsAppTextCatalog
    private let lock = NSLock()
    /// Guarded by `lock`; at most one entry per language of the catalog and question.
    private var built: [Key: WhatsAppContent] = [:]

    init(texts: WhatsAppTextCatalog) { self.texts = texts }

    /// What asks `question` (nil: the thanks) in `language`, or in the default language when the texts lack it.
    func content(_ question: LeadQuestion?, language: String?) -> WhatsAppContent {
        let words = texts.texts(LeadPrompts.texts, language: language)
        let key = Key(language: words.language, question: question)
        if let known = lock.withLock({ built[key] }) { return known }
        let content = question.map { LeadPrompts.asking($0, in: words) } ?? LeadPrompts.thanks(in: words)
        lock.withLock { built[key] = content }
        return content
    }
}
