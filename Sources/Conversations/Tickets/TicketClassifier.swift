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
        var words: [Substring] {
            didSet { (utf8, hashes) = Self.encoded(words) }
        }
        var languages: Set<String>
        /// Each word's UTF-8 bytes and their ``MessageWords/hash(_:)``, as a message's words are compared.
        private(set) var utf8: [[UInt8]]
        private(set) var hashes: [Int]

        init(words: [Substring], languages: Set<String>) {
            self.words = words
            self.languages = languages
            (utf8, hashes) = Self.encoded(words)
        }

        private static func encoded(_ words: [Substring]) -> ([[UInt8]], [Int]) {
            let utf8 = words.map { Array($0.utf8) }
            return (utf8, utf8.map(MessageWords.hash))
        }
    }

    struct Rule: Sendable {
        var queue: String
        var keywords: [Keyword]
    }

    private let lead: Rule
    private let support: Rule
    /// Every keyword by its first word (lead first, then support, each in file order): a message is looked up word by
    /// word instead of every keyword being compared with every word.
    /// (Keyed by the word's ``MessageWords/hash(_:)``; a hit is confirmed by comparing the words.)
    private let byFirstWord: [Int: [(isLead: Bool, index: Int)]]

    /// No keywords: every ticket is support (`tickets.classification_file` set to null).
    /// The queue lead tickets go to (also leads entered by hand).
    public var leadQueue: String { lead.queue }

    public static let supportOnly = TicketClassifier(lead: Rule(queue: "sales", keywords: []),
                                                     support: Rule(queue: "support", keywords: []))

    init(lead: Rule, support: Rule) {
        self.lead = lead
        self.support = support
        var byFirstWord: [Int: [(isLead: Bool, index: Int)]] = [:]
        for (isLead, rule) in [(true, lead), (false, support)] {
            for (index, keyword) in rule.keywords.enumerated() {
                if let first = keyword.hashes.first { byFirstWord[first, default: []].append((isLead, index)) }
            }
        }
        self.byFirstWord = byFirstWord
    }

    public func classify(_ text: String?) -> Classification {
        let words = MessageWords(text ?? "")
        var leadIndexes: [Int] = []
        var supportIndexes: [Int] = []
        for start in words.hashes.indices {
            for (isLead, index) in byFirstWord[words.hashes[start]] ?? [] {
                guard words.match((isLead ? lead : support).keywords[index], at: start) else { continue }
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

    /// Lower case, no accents, letters and digits only (a keyword of the rules file, or a message that is not plain
    /// ASCII: ``MessageWords`` reads plain ASCII itself, to the same words).
    static func words(_ text: String) -> [Substring] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            .split { !($0.isLetter || $0.isNumber) }
    }
}

/// A message's words as ``TicketClassifier`` compares them with the keywords: normalized as
/// ``TicketClassifier/words(_:)`` says, laid end to end in one buffer, each with a hash to look keywords up by. Most
/// messages are plain ASCII, whose letters and digits once lower-cased are exactly a-z and 0-9: those are read byte by
/// byte, with no folding, no Unicode letter tests and no string per word (classifying runs on every message).
struct MessageWords {
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private(set) var hashes: [Int] = []

    init(_ text: String) {
        var text = text
        guard text.withUTF8({ readASCII($0) }) else {
            (bytes, ranges, hashes) = ([], [], [])
            for word in TicketClassifier.words(text) {
                let start = bytes.count
                bytes.append(contentsOf: word.utf8)
                ranges.append(start..<bytes.count)
                hashes.append(Self.hash(word.utf8))
            }
            return
        }
    }

    /// Reads plain ASCII text in one pass over its bytes; false (and nothing kept) at the first byte that is not.
    private mutating func readASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var ranges: [Range<Int>] = [], hashes: [Int] = []
        var ascii = true
        let bytes = [UInt8](unsafeUninitializedCapacity: text.count) { buffer, count in
            var start: Int?
            var hash = Self.hashSeed
            for byte in text {
                guard byte < 0x80 else { ascii = false; break }
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                    || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) {
                    if start == nil { (start, hash) = (count, Self.hashSeed) }
                    buffer[count] = lower
                    count += 1
                    hash = Self.hash(hash, lower)
                } else if let from = start {
                    ranges.append(from..<count)
                    hashes.append(Int(truncatingIfNeeded: hash))
                    start = nil
                }
            }
            if let from = start {
                ranges.append(from..<count)
                hashes.append(Int(truncatingIfNeeded: hash))
            }
        }
        guard ascii else { return false }
        (self.bytes, self.ranges, self.hashes) = (bytes, ranges, hashes)
        return true
    }

    /// Whether `keyword`'s words are this message's words from `start` on.
    func match(_ keyword: TicketClassifier.Keyword, at start: Int) -> Bool {
        guard hashes.count - start >= keyword.hashes.count else { return false }
        for (offset, word) in keyword.utf8.enumerated() {
            guard hashes[start + offset] == keyword.hashes[offset], bytes[ranges[start + offset]].elementsEqual(word)
            else { return false }
        }
        return true
    }

    /// FNV-1a over a word's bytes: cheap, and only ever confirmed by comparing the words.
    static func hash<Bytes: Collection<UInt8>>(_ word: Bytes) -> Int {
        Int(truncatingIfNeeded: word.reduce(hashSeed, hash))
    }

    private static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    private static func hash(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
}

extension TicketClassifier.Keyword {
    /// The keyword as written in the history (`how much`).
    var text: String { words.joined(separator: " ") }
}
