import Foundation

/// Lead or support: the first message of a new conversation ticket is scored against the keyword lists of a rules
/// file (`tickets.classification_file`, shipped as `Config/ticket-classification.json`, English and Bahasa Malaysia):
///
/// 1. The text (text body, button/list title or caption) is lower-cased, accents are removed, and everything but
///    letters and digits separates words.
/// 2. A keyword (one or more words, normalized the same way) matches when its words appear in the message as
///    consecutive words: `harga` matches "Berapa HARGA?", `how much` matches "how much is it", `demo` does not
///    match "demonstrate".
/// 3. Each class scores the number of its distinct keywords that match. **Lead** when the lead score is higher than
///    the support score; otherwise (a tie, or no match at all) **support**, the safe default.
///
/// The class names its queue: lead → `sales`, support → `support` unless the file says otherwise.
///
/// The same matches name the customer's language: the language tag (`en`, `ms`) whose lists matched the most
/// distinct keywords, across both classes; none on a tie or without a match (the ticket then uses
/// `whatsapp.default_language` for templates).
public struct TicketClassifier: Sendable {
    /// The result of classifying one message.
    public struct Classification: Sendable, Equatable {
        public let kind: String
        public let queue: String
        /// The keywords that matched, for the ticket's history.
        public let matched: [String]
        /// The language tag most matched keywords are listed under; nil on a tie or without a match.
        public let language: String?
    }

    /// One keyword: its normalized words and the language tags of the lists naming it.
    struct Keyword: Sendable, Equatable {
        var words: [Substring]
        var languages: Set<String>
    }

    struct Rule: Sendable {
        var queue: String
        var keywords: [Keyword]
    }

    private let lead: Rule
    private let support: Rule
    /// Every keyword by its first word (lead first, then support, each in file order): a message is looked up word by
    /// word instead of every keyword being compared with every word.
    private let byFirstWord: [Substring: [(isLead: Bool, index: Int)]]

    /// No keywords: every ticket is support (`tickets.classification_file` set to null).
    /// The queue lead tickets go to (also leads entered by hand).
    public var leadQueue: String { lead.queue }

    public static let supportOnly = TicketClassifier(lead: Rule(queue: "sales", keywords: []),
                                                     support: Rule(queue: "support", keywords: []))

    init(lead: Rule, support: Rule) {
        self.lead = lead
        self.support = support
        var byFirstWord: [Substring: [(isLead: Bool, index: Int)]] = [:]
        for (isLead, rule) in [(true, lead), (false, support)] {
            for (index, keyword) in rule.keywords.enumerated() {
                if let first = keyword.words.first { byFirstWord[first, default: []].append((isLead, index)) }
            }
        }
        self.byFirstWord = byFirstWord
    }

    public func classify(_ text: String?) -> Classification {
        let words = Self.words(text ?? "")
        var leadIndexes: [Int] = []
        var supportIndexes: [Int] = []
        for start in words.indices {
            for (isLead, index) in byFirstWord[words[start]] ?? [] {
                let keyword = (isLead ? lead : support).keywords[index].words
                guard words.count - start >= keyword.count,
                      words[start..<(start + keyword.count)].elementsEqual(keyword) else { continue }
                if isLead {
                    if !leadIndexes.contains(index) { leadIndexes.append(index) }
                } else if !supportIndexes.contains(index) {
                    supportIndexes.append(index)
                }
            }
        }
        // Hits in file order, as the rules list them.
        let leadHits = leadIndexes.sorted().map { lead.keywords[$0] }
        let supportHits = supportIndexes.sorted().map { support.keywords[$0] }
        let language = Self.language(of: leadHits + supportHits)
        if leadHits.count > supportHits.count {
            return Classification(kind: "lead", queue: lead.queue, matched: leadHits.map(\.text), language: language)
        }
        return Classification(kind: "support", queue: support.queue, matched: supportHits.map(\.text),
                              language: language)
    }

    /// The tag naming the most of `hits`; nil on a tie or without hits.
    private static func language(of hits: [Keyword]) -> String? {
        var counts: [String: Int] = [:]
        for hit in hits { for tag in hit.languages { counts[tag, default: 0] += 1 } }
        guard let most = counts.values.max(), counts.values.filter({ $0 == most }).count == 1 else { return nil }
        return counts.first { $0.value == most }?.key
    }

    /// Lower case, no accents, letters and digits only.
    static func words(_ text: String) -> [Substring] {
        // Folding and Unicode letter tests are the expensive part; most messages are plain ASCII, whose letters and
        // digits once lower-cased are exactly a-z and 0-9.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
                .split { !($0.isLetter || $0.isNumber) }
        }
        let letters = UInt8(ascii: "a")...UInt8(ascii: "z"), digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        return text.lowercased().utf8.split { !letters.contains($0) && !digits.contains($0) }.map { Substring($0) }
    }
}

extension TicketClassifier.Keyword {
    /// The keyword as written in the history (`how much`).
    var text: String { words.joined(separator: " ") }
}
