/// A short passage of a text around the first words that matched, with those words marked.
public struct Snippet: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var text: String
        public var highlighted: Bool

        public init(_ text: String, highlighted: Bool) {
            self.text = text
            self.highlighted = highlighted
        }
    }

    public var parts: [Part]

    public var plainText: String { parts.map(\.text).joined() }

    /// - Parameters:
    ///   - isMatch: whether a word, as written in the text (not normalised), is a hit.
    ///   - maxWords: about how many words the passage holds.
    ///   - searchedWords: how far into the text to look for the first hit; without one there, the passage is the
    ///     text's beginning. (Every word looked at costs a test; a search page makes twenty passages.)
    public static func make(
        _ text: String, analyzer: Analyzer, maxWords: Int = 30, searchedWords: Int = .max / 4, isMatch: (Substring) -> Bool
    ) -> Snippet? {
        let words = words(text, analyzer: analyzer, maxWords: maxWords, searchedWords: searchedWords)
        return make(text, words: words, maxWords: maxWords, searchedWords: searchedWords) { isMatch(text[words[$0]]) }
    }

    /// The words of a text a passage can be made from (`make(_:words:…)`): the ranges of its first words, as many
    /// as a passage of `maxWords` looking `searchedWords` far needs. Found once, a text's words serve every search
    /// that shows it.
    public static func words(_ text: String, analyzer: Analyzer, maxWords: Int, searchedWords: Int) -> [Range<String.Index>] {
        var words: [Range<String.Index>] = []
        let limit = max(searchedWords, maxWords) + maxWords + 1
        analyzer.forEachWordRange(in: text) { range in
            words.append(range)
            return words.count < limit
        }
        return words
    }

    /// As `make(_:analyzer:…)`, from the words `words(_:analyzer:maxWords:searchedWords:)` found in `text`;
    /// `isMatch` is asked by the word's place among them.
    public static func make(
        _ text: String, words found: [Range<String.Index>], maxWords: Int, searchedWords: Int, isMatch: (Int) -> Bool
    ) -> Snippet? {
        var words: [Range<String.Index>] = []
        var matched: [Bool] = []
        var firstHit: Int?
        for (place, range) in found.enumerated() {
            let isHit = isMatch(place)
            if firstHit == nil && isHit { firstHit = words.count }
            words.append(range)
            matched.append(isHit)
            if words.count >= (firstHit ?? max(searchedWords, maxWords)) + maxWords + 1 { break }
        }
        return passage(text, words: words, matched: matched, maxWords: maxWords)
    }

    private static func passage(_ text: String, words: [Range<String.Index>], matched: [Bool], maxWords: Int) -> Snippet? {
        guard !words.isEmpty else { return nil }
        let hits = words.indices.filter { matched[$0] }
        let first = hits.first ?? 0
        let start = max(0, first - maxWords / 3)
        let end = min(words.count, start + maxWords)
        var parts: [Part] = []
        var cursor = start == 0 ? text.startIndex : words[start].lowerBound
        if start > 0 { parts.append(Part("… ", highlighted: false)) }
        for index in start..<end where matched[index] {
            let range = words[index]
            if cursor < range.lowerBound { parts.append(Part(String(text[cursor..<range.lowerBound]), highlighted: false)) }
            parts.append(Part(String(text[range]), highlighted: true))
            cursor = range.upperBound
        }
        let stop = end < words.count ? words[end - 1].upperBound : text.endIndex
        if cursor < stop { parts.append(Part(String(text[cursor..<stop]), highlighted: false)) }
        if end < words.count { parts.append(Part(" …", highlighted: false)) }
        return Snippet(parts: parts)
    }
}

/// Phrase matching ("fire typer"): the query's words must stand next to each other in the text.
public enum Phrase {
    /// Whether `text`, in `language`, contains the words of `phrase` in order and next to each other,
    /// comparing stems (so inflected forms count) and stop words literally.
    public static func occurs(_ phrase: [String], in text: String, language: StemmerLanguage, analyzer: Analyzer) -> Bool {
        guard !phrase.isEmpty else { return true }
        let wanted = phrase.map { word in analyzer.term(for: word, language: language) ?? "\u{0}" + word }
        let words = analyzer.words(text).map { analyzer.term(for: $0.word, language: language) ?? "\u{0}" + $0.word }
        guard words.count >= wanted.count else { return false }
        for start in 0...(words.count - wanted.count) where words[start] == wanted[0] {
            if (1..<wanted.count).allSatisfy({ words[start + $0] == wanted[$0] }) { return true }
        }
        return false
    }
}
