/// Finds the index terms a query term should also match, in a vocabulary held in memory:
///
/// - **compounds**: terms that contain the query term as a part ("samarbejd" → "skolevirksomhedssamarbejd",
///   "samarbejdsguid"). Danish and Swedish glue words together, so a part of a compound is often what users
///   type. Candidates come from a trigram index over the vocabulary: a term containing the query term
///   contains all of its trigrams, so intersecting the trigram lists (rarest first) and checking the
///   substring finds them without scanning the vocabulary.
/// - **typos**: terms within one edit (insert, delete, substitute or swap two neighbours), two for words of
///   eight letters or more. By the q-gram lemma a term within k edits shares at least |grams| − 4k trigrams
///   with the query (an edit spoils at most three trigrams, a swap of neighbours four), so only terms meeting
///   that count (and of a length within k) are compared letter by letter.
///
/// Exact matches are not part of the expansion; the caller weighs them higher.
public struct TermExpansion: Sendable {
    public enum Kind: Sendable, Equatable { case compound, typo }

    public struct Match: Sendable, Equatable {
        /// The term's number in this vocabulary (see `id(of:)`).
        public var id: Int
        public var term: String
        public var kind: Kind
        public var distance: Int
    }

    /// Length of each term in Unicode scalars (the scalars themselves are read from `strings` when needed).
    private var lengths: [UInt16] = []
    private var strings: [String] = []
    private var index: [String: Int] = [:]
    private var grams: [UInt64: [Int32]] = [:]

    public init() {}

    public var count: Int { strings.count }

    /// Adds a term to the vocabulary (once) and returns its number: terms are numbered 0, 1, 2, … in the
    /// order they were first inserted.
    @discardableResult
    public mutating func insert(_ term: String) -> Int {
        if let existing = index[term] { return existing }
        let scalars = term.unicodeScalars.map(\.value)
        let position = strings.count
        index[term] = position
        lengths.append(UInt16(clamping: scalars.count))
        strings.append(term)
        for gram in Set(Self.trigrams(scalars)) { grams[gram, default: []].append(Int32(position)) }
        return position
    }

    /// The number of a term of the vocabulary.
    public func id(of term: String) -> Int? { index[term] }

    /// The term with a number.
    public func term(at id: Int) -> String { strings[id] }

    /// Maximum edit distance allowed for a word of this length.
    public static func maxDistance(forLength length: Int) -> Int {
        length >= 8 ? 2 : (length >= 4 ? 1 : 0)
    }

    /// Compound and typo matches for a query term, at most `limit` of each kind.
    /// - Parameter extraDistance: edits allowed beyond the usual (for suggestions, which look further).
    public func expand(_ term: String, compounds: Bool = true, typos: Bool = true, extraDistance: Int = 0, limit: Int = 50) -> [Match] {
        let query = term.unicodeScalars.map(\.value)
        var matches: [Match] = []
        var seen = Set<Int>()
        if let own = index[term] { seen.insert(own) }
        let queryGrams = Array(Set(Self.trigrams(query)))
        if compounds && query.count >= 4 {
            // A part may stand anywhere in a compound, so only the query's inner trigrams (no word-boundary
            // marks) must all be present. The rarest list is walked in id order, which makes the result
            // the same in every process.
            let innerGrams = Array(Set(Self.trigrams(query, padded: false))).sorted()
            let lists = innerGrams.compactMap { grams[$0] }.sorted { $0.count < $1.count }
            let needle = Array(term.utf8)
            if lists.count == innerGrams.count, let rarest = lists.first {
                var found = 0
                for candidate in rarest where found < limit {
                    let id = Int(candidate)
                    // UTF-8 is self-synchronising, so containment of the bytes is containment of the scalars.
                    guard !seen.contains(id), Int(lengths[id]) > query.count, Self.contains(strings[id], needle) else { continue }
                    seen.insert(id)
                    matches.append(Match(id: id, term: strings[id], kind: .compound, distance: 0))
                    found += 1
                }
            }
        }
        let maxDistance = Self.maxDistance(forLength: query.count) + (query.count >= 4 ? extraDistance : 0)
        if typos && maxDistance > 0 {
            // Count shared trigrams per term in a flat array (much faster than a dictionary for a large
            // vocabulary), remembering the terms touched.
            var shared = [UInt8](repeating: 0, count: strings.count)
            var touched: [Int32] = []
            for gram in queryGrams {
                for id in grams[gram] ?? [] {
                    if shared[Int(id)] == 0 { touched.append(id) }
                    if shared[Int(id)] < 255 { shared[Int(id)] += 1 }
                }
            }
            let needed = max(1, queryGrams.count - 4 * maxDistance)
            var typoMatches: [Match] = []
            for candidate in touched where Int(shared[Int(candidate)]) >= needed {
                let id = Int(candidate)
                guard !seen.contains(id), abs(Int(lengths[id]) - query.count) <= maxDistance else { continue }
                let distance = Self.editDistance(query, strings[id].unicodeScalars.map(\.value), limit: maxDistance)
                if distance <= maxDistance {
                    typoMatches.append(Match(id: id, term: strings[id], kind: .typo, distance: distance))
                }
            }
            typoMatches.sort { ($0.distance, $0.term) < ($1.distance, $1.term) }
            matches += typoMatches.prefix(limit)
        }
        return matches
    }

    /// Trigrams of a word, by default padded with a boundary mark at both ends, packed into integers.
    static func trigrams(_ scalars: [UInt32], padded isPadded: Bool = true) -> [UInt64] {
        let padded: [UInt32] = isPadded ? [0] + scalars + [0] : scalars
        guard padded.count >= 3 else { return [] }
        return (0...(padded.count - 3)).map {
            UInt64(padded[$0]) << 42 | UInt64(padded[$0 + 1]) << 21 | UInt64(padded[$0 + 2])
        }
    }

    /// Gives back the spare capacity the lists grew with (after a bulk load).
    public mutating func compact() {
        for key in Array(grams.keys) {
            grams[key] = grams[key].map { list in list.withUnsafeBufferPointer { Array($0) } }
        }
    }

    /// Whether the UTF-8 bytes of `haystack` contain `needle`.
    static func contains(_ haystack: String, _ needle: [UInt8]) -> Bool {
        var haystack = haystack
        return haystack.withUTF8 { bytes in
            guard needle.count <= bytes.count else { return false }
            outer: for start in 0...(bytes.count - needle.count) {
                for offset in 0..<needle.count where bytes[start + offset] != needle[offset] { continue outer }
                return true
            }
            return false
        }
    }

    /// Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), stopping early once
    /// every path exceeds `limit`.
    public static func editDistance(_ a: [UInt32], _ b: [UInt32], limit: Int) -> Int {
        if a == b { return 0 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    public static func editDistance(_ a: String, _ b: String, limit: Int = 2) -> Int {
        editDistance(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value), limit: limit)
    }
}
