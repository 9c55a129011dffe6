import Foundation
import SamspilSearch

/// Written words of one language and their index terms ("" for a stop word, or a word that cannot be a
/// term): a text's words repeat, and a rebuild of the index meets the same words in material after
/// material, and looking a word up costs far less than normalising and stemming it again.
///
/// `known` is shared and read only; what is met for the first time goes to `learned`, which the owner
/// merges into its shared table afterwards (`SearchEngine.WordTerms`, or the rebuild's own table).
struct TermMemo {
    typealias Table = [StemmerLanguage: [WrittenWord: String]]
    let language: StemmerLanguage
    private let known: [WrittenWord: String]
    private(set) var learned: [WrittenWord: String] = [:]

    init(_ language: StemmerLanguage, known: Table = [:]) {
        self.language = language
        self.known = known[language] ?? [:]
    }

    /// One memo per language, in `StemmerLanguage.allCases` order (see `slot`).
    static func all(known: Table) -> [TermMemo] { StemmerLanguage.allCases.map { TermMemo($0, known: known) } }

    static func slot(_ language: StemmerLanguage) -> Int {
        switch language {
        case .danish: 0
        case .swedish: 1
        case .english: 2
        }
    }

    /// The index term of a word as written, or "".
    mutating func term(ofWrittenWord word: Substring, analyzer: Analyzer) -> String {
        let key = WrittenWord(String(word))
        if let term = known[key] ?? learned[key] { return term }
        var term = analyzer.term(ofWrittenWord: word, language: language) ?? ""
        // Terms are letters and digits; a (pathological) one holding a line break or tab is left out rather
        // than spoil the stored "term<TAB>frequency" lines.
        if term.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { term = "" }
        learned[key] = term
        return term
    }

    /// This memo without its share of the known table, so that merging what it learned into that table
    /// does not copy the table.
    func learnedOnly() -> TermMemo {
        var memo = TermMemo(language)
        memo.learned = learned
        return memo
    }

    /// Adds what memos learned to a table, emptying it first when it holds more than `capacity` words.
    static func merge(_ memos: [TermMemo], into table: inout Table, capacity: Int) {
        guard memos.contains(where: { !$0.learned.isEmpty }) else { return }
        if table.values.reduce(0, { $0 + $1.count }) > capacity { table.removeAll() }
        for memo in memos where !memo.learned.isEmpty {
            table[memo.language, default: [:]].merge(memo.learned) { old, _ in old }
        }
    }
}

/// A word as written, compared and hashed by its UTF-8 bytes: String's own hashing and equality work on the
/// canonical (NFC) form, which is slow for every word with æ, ø or å. Here two spellings that are only
/// canonically equal are two entries, which is harmless: each maps to its own (equal) term.
struct WrittenWord: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: WrittenWord, b: WrittenWord) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
