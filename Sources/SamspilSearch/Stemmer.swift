// Snowball stemmers for Danish, Swedish and English (Porter2), in pure Swift.
//
// The algorithms follow the Snowball definitions published at snowballstem.org
// (the versions shipped with Snowball 2.1, which the Debian package
// `snowball-data` 0+20210120 was generated with). They are checked word for
// word against those vocabularies in Tests/SamspilSearchTests.
//
// Like the Snowball runtime, the stemmers work on Unicode scalars (code
// points), not on grapheme clusters: input is expected to be lowercased and in
// NFC, as produced by ordinary text (æ, ø, å, ä, ö are single scalars there).

/// A language with a stemmer. The raw value is the ISO 639-1 code.
public enum StemmerLanguage: String, Sendable, CaseIterable {
    case danish = "da"
    case swedish = "sv"
    case english = "en"
}

/// A Snowball stemmer for one language. Cheap to create and to copy; `stem`
/// allocates nothing on the heap beyond the returned string (and not even that
/// for stems of at most 15 UTF-8 bytes).
public struct Stemmer: Sendable, Hashable {
    public let language: StemmerLanguage

    public init(_ language: StemmerLanguage) {
        self.language = language
    }

    /// Returns the stem of `word`, which must already be lowercased.
    public func stem(_ word: String) -> String {
        if language == .english, let special = EnglishStemmer.exception1(word) {
            return special
        }
        let capacity = word.utf8.count
        if capacity == 0 { return word }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { storage in
            var buffer = StemBuffer(storage.baseAddress!)
            for scalar in word.unicodeScalars {
                buffer.append(scalar.value)
            }
            switch language {
            case .danish: DanishStemmer.stem(&buffer)
            case .swedish: SwedishStemmer.stem(&buffer)
            case .english: EnglishStemmer.stem(&buffer)
            }
            return buffer.makeString()
        }
    }
}
