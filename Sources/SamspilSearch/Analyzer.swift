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

/// The one analyzer used for indexing and for queries: Unicode normalisation (NFKC), case folding, å, ø, æ
/// written aa, oe, ae, splitting into words of letters and digits, stop words per language, and Snowball stemming.
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
        forEachWordRange(in: text) { range in
            let word = Self.normalise(text[range])
            guard !word.isEmpty else { return true }
            result.append(AnalyzedWord(word: String(word.prefix(Self.maxWordLength)), position: result.count, range: range))
            return shouldContinue(result)
        }
        return result
    }

    /// Calls `body` with the range of each word of the text as written (not normalised), in order, until it
    /// returns false. A word is a run of letters and digits.
    public func forEachWordRange(in text: String, _ body: (Range<String.Index>) -> Bool) {
        if Self.isSimple(text) { Self.simpleWordRanges(text, body) } else { Self.characterWordRanges(text, body) }
    }

    /// Whether every scalar of the text is below U+0300 (where combining marks begin): then every character
    /// is one scalar (CR LF aside, which is no word character either way), and words can be found scalar by
    /// scalar with a table, much faster than character by character. UTF-8 lead bytes of U+0300 and above
    /// are 0xCC or more; continuation bytes are below.
    static func isSimple(_ text: String) -> Bool {
        let simple: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return true }
            // Eight bytes at a time: adding 0x34 to a byte's low seven bits carries into its top bit, with the
            // byte's own top bit set, exactly when the byte is 0xCC or more (no carry crosses into the next byte).
            var index = 0
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x3434_3434_3434_3434) & word & 0x8080_8080_8080_8080 != 0 { return false }
                index += 8
            }
            return !bytes[index...].contains { $0 >= 0xCC }
        }
        return simple ?? !text.utf8.contains { $0 >= 0xCC }
    }

    /// `isWordCharacter` of each scalar below U+0300, computed with the same function.
    private static let simpleWordScalars: [Bool] = (0..<0x300).map { value in
        Unicode.Scalar(value).map { isWordCharacter(Character($0)) } ?? false
    }

    /// Reads the text's UTF-8 bytes directly: `isSimple` leaves only ASCII bytes and two-byte sequences
    /// (lead bytes 0xC2–0xCB), so each scalar's value is at hand without decoding the string.
    private static func simpleWordRanges(_ text: String, _ body: (Range<String.Index>) -> Bool) {
        let utf8 = text.utf8
        let table = simpleWordScalars
        let done: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            // UTF-8 offsets of a native string become indices in constant time.
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            var start = -1
            var offset = 0
            while offset < bytes.count {
                let lead = bytes[offset]
                let value: Int
                let width: Int
                if lead < 0x80 {
                    value = Int(lead)
                    width = 1
                } else {
                    value = Int(lead & 0x1F) << 6 | Int(bytes[offset + 1] & 0x3F)
                    width = 2
                }
                if table[value] {
                    if start < 0 { start = offset }
                } else if start >= 0 {
                    if !body(index(start)..<index(offset)) { return }
                    start = -1
                }
                offset += width
            }
            if start >= 0 { _ = body(index(start)..<text.endIndex) }
        }
        // Strings not stored as contiguous UTF-8 (bridged ones, on other platforms) take the general path.
        if done == nil { characterWordRanges(text, body) }
    }

    private static func characterWordRanges(_ text: String, _ body: (Range<String.Index>) -> Bool) {
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            if isWordCharacter(text[index]) {
                if start == nil { start = index }
            } else if let begin = start {
                start = nil
                if !body(begin..<index) { return }
            }
            index = text.index(after: index)
        }
        if let begin = start { _ = body(begin..<text.endIndex) }
    }

    /// The index terms of a text in a language: stems of the words that are not stop words, in order.
    public func terms(_ text: String, language: StemmerLanguage) -> [String] {
        words(text).compactMap { term(for: $0.word, language: language) }
    }

    /// The index term of a word as written in a text (normalised first), or nil for a stop word.
    public func term(ofWrittenWord word: Substring, language: StemmerLanguage) -> String? {
        let normalised = Self.normalise(word)
        if normalised.isEmpty { return nil }
        // At most as many characters as UTF-8 bytes: a short word needs no cutting.
        let cut = normalised.utf8.count <= Self.maxWordLength ? normalised : String(normalised.prefix(Self.maxWordLength))
        return term(for: cut, language: language)
    }

    /// The index term of one normalised word in a language, or nil for a stop word. Å, ø and æ are written aa,
    /// oe and ae first (`fold`), in documents and queries alike, so "paedagog" finds "pædagog" and "Aabenraa"
    /// finds "Åbenrå" (and the reverse); the stemmer then sees the same letters on both sides.
    public func term(for word: String, language: StemmerLanguage) -> String? {
        let word = Self.fold(word)
        if StopWords.containsFolded(word, language: language) { return nil }
        switch language {
        case .danish: return danish.stem(word)
        case .swedish: return swedish.stem(word)
        case .english: return english.stem(word)
        }
    }

    /// Raised whenever what the analyzer makes of a text changes: a stored index of another version is rebuilt.
    /// 2: å, ø, æ folded to aa, oe, ae; hyphenated compounds also indexed joined.
    public static let version = 2

    /// A lowercased word with å, ø and æ written as aa, oe and ae (the way Danish is typed without those keys).
    public static func fold(_ word: String) -> String {
        // Their UTF-8 is C3 A5, C3 B8, C3 A6: a word without a C3 byte has none of them.
        guard word.utf8.contains(0xC3) else { return word }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.utf8.count + 4)
        var iterator = word.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 0xC3, let next = iterator.next() else {
                bytes.append(byte)
                continue
            }
            switch next {
            case 0xA5: bytes += [UInt8(ascii: "a"), UInt8(ascii: "a")]
            case 0xB8: bytes += [UInt8(ascii: "o"), UInt8(ascii: "e")]
            case 0xA6: bytes += [UInt8(ascii: "a"), UInt8(ascii: "e")]
            default: bytes += [byte, next]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the text between two words joins them into one compound: a single hyphen ("skole-virksomhed",
    /// "e-mail"), as Danish writes compounds with a name, an abbreviation or a long first part.
    public static func isCompoundJoint(_ between: Substring) -> Bool {
        between == "-" || between == "\u{2010}" || between == "\u{2011}"
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
