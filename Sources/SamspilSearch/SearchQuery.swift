/// A search as the user typed it: free words, and phrases in quotes.
public struct ParsedSearch: Sendable, Equatable {
    /// Every word group the results must match: a free word, or a whole phrase.
    public var groups: [Group]

    public struct Group: Sendable, Equatable {
        /// The words (normalised), one for a free word, several for a phrase.
        public var words: [String]
        /// For each word, its terms in every language of the index (empty for a stop word).
        public var terms: [[String]]
        /// A free word that is a stop word in some language.
        public var isStopWord = false
        public var isPhrase: Bool { words.count > 1 }
    }

    public static let maxLength = 500
    public static let maxGroups = 12

    /// Parses a query. Quotes delimit phrases (an unclosed quote runs to the end); every other character that
    /// is not a letter or digit separates words, so operators such as `NEAR`, `*`, `-` or `OR` are just words or
    /// nothing. Outside phrases, a word that is a stop word in any language ("og", "den", "the") is dropped,
    /// since every word must match; only a query of nothing but such words keeps them.
    public init(_ raw: String, analyzer: Analyzer) {
        let text = String(raw.prefix(Self.maxLength))
        var groups: [Group] = []
        for (index, chunk) in text.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            let chunk = String(chunk)
            let analysed = analyzer.words(chunk)
            var words = analysed.map(\.word)
            if index % 2 == 0 {
                // Outside phrases, words joined by a hyphen are one compound ("skole-virksomhed" finds
                // "skolevirksomhed" and "skole-virksomhed"; the index holds hyphenated compounds joined too).
                words = []
                for (position, word) in analysed.enumerated() {
                    if position > 0, Analyzer.isCompoundJoint(chunk[analysed[position - 1].range.upperBound..<word.range.lowerBound]) {
                        words[words.count - 1] += word.word
                    } else {
                        words.append(word.word)
                    }
                }
            }
            if index % 2 == 1 && words.count > 1 {
                let terms = words.map { word in Self.terms(of: word, analyzer: analyzer) }
                if terms.contains(where: { !$0.isEmpty }) { groups.append(Group(words: words, terms: terms)) }
            } else {
                for word in words {
                    let terms = Self.terms(of: word, analyzer: analyzer)
                    guard !terms.isEmpty else { continue }
                    let isStopWord = StemmerLanguage.allCases.contains { StopWords.contains(word, language: $0) }
                    groups.append(Group(words: [word], terms: [terms], isStopWord: isStopWord))
                }
            }
        }
        let content = groups.filter { !$0.isStopWord }
        self.groups = Array((content.isEmpty ? groups : content).prefix(Self.maxGroups))
    }

    static func terms(of word: String, analyzer: Analyzer) -> [String] {
        var terms: [String] = []
        for language in StemmerLanguage.allCases {
            if let term = analyzer.term(for: word, language: language), !terms.contains(term) { terms.append(term) }
        }
        return terms
    }

    public var isEmpty: Bool { groups.isEmpty }
}
