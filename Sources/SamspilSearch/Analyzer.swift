import Foundation

/// One word of a text as the analyzer saw it.
public struct AnalyzedWord: Sendable, Equatable {
    /// The normalised, lowercased word.
    public var word: String
    /// Its index among the words of the text (stop words included), for phrase matching.
    public var position: Int
    /// Where it stands in the original text, for highlighting.
    public var range: Range<String.Index>
}

/// The one analyzer used for indexing and for queries: Unicode normalisation (NFKC), case folding with
/// æ, ø, å kept, splitting into words of letters and digits, stop words per language, and Snowball stemming.
///
/// Documents are analysed in their own language. A query is analysed in every language of the index,
/// since users do not say which language they type (see `ParsedSearch`).
public struct Analyzer: Sendable {
    private let danish = Stemmer(.danish)
    private let swedish = Stemmer(.swedish)
    private let english = Stemmer(.english)
    /// Words longer than this are cut; nobody searches for them, and they would bloat the index.
    public static let maxWordLength = 64

    public init() {}

    /// The words of a text, normalised and lowercased, with their positions and ranges.
    public func words(_ text: String) -> [AnalyzedWord] {
        words(text, while: { _ in true })
    }

    /// The words of a text up to and including the first for which `shouldContinue` says no.
    public func words(_ text: String, while shouldContinue: ([AnalyzedWord]) -> Bool) -> [AnalyzedWord] {
        var result: [AnalyzedWord] = []
        var start: String.Index?
        var position = 0
        func flush(_ end: String.Index) {
            guard let begin = start else { return }
            start = nil
            let word = Self.normalise(text[begin..<end])
            guard !word.isEmpty else { return }
            result.append(AnalyzedWord(word: String(word.prefix(Self.maxWordLength)), position: position, range: begin..<end))
            position += 1
        }
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if Self.isWordCharacter(character) {
                if start == nil { start = index }
            } else {
                let before = result.count
                flush(index)
                if result.count > before && !shouldContinue(result) { return result }
            }
            index = text.index(after: index)
        }
        flush(text.endIndex)
        return result
    }

    /// The index terms of a text in a language: stems of the words that are not stop words, in order.
    public func terms(_ text: String, language: StemmerLanguage) -> [String] {
        words(text).compactMap { term(for: $0.word, language: language) }
    }

    /// The index term of one normalised word in a language, or nil for a stop word.
    public func term(for word: String, language: StemmerLanguage) -> String? {
        if StopWords.contains(word, language: language) { return nil }
        switch language {
        case .danish: return danish.stem(word)
        case .swedish: return swedish.stem(word)
        case .english: return english.stem(word)
        }
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// NFKC, lowercase. Letters such as æ, ø, å, ä, ö are kept as they are.
    /// Words of ASCII and the Latin-1 letters À–ÿ are already in that form but for case, so they skip the
    /// (comparatively slow) normalisation.
    static func normalise(_ word: Substring) -> String {
        let isPlain = word.unicodeScalars.allSatisfy { $0.value < 0x80 || (0xC0...0xFF).contains($0.value) }
        return isPlain ? word.lowercased() : String(word).precomposedStringWithCompatibilityMapping.lowercased()
    }
}
