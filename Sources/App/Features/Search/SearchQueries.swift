import Fluent
import Foundation
import SQLKit
import SamspilCore
import SamspilSearch

/// One search result: the material, its score and a passage with the matched words marked.
struct SearchHit: Sendable {
    var material: Material
    var score: Double
    var snippet: Snippet?
    var title: Snippet?
}

/// Counts per facet value, each counted with every other active filter applied.
struct SearchFacets: Sendable, Equatable {
    var types: [String: Int] = [:]
    var audiences: [String: Int] = [:]
    var topics: [String: Int] = [:]
    var years: [Int: Int] = [:]
    var languages: [String: Int] = [:]
}

struct SearchResult: Sendable {
    var query: MaterialQuery
    var hits: ResultPage<SearchHit>
    var facets: SearchFacets
    /// "Did you mean": the query with unknown words replaced by close words of the index.
    var suggestion: String?
    /// Time spent waiting for the database, for the `Server-Timing` header.
    var databaseTime: Duration = .zero
    /// The vocabulary revision when the page was read (see `VocabularyCache`); nil if unknown.
    var vocabularyRevision: Int64?
    /// Set when no material matched every word, and the hits are those that match the most of them.
    var partial: PartialMatch?
}

/// Hits that match some of a query's words, when none match all: how many of how many.
struct PartialMatch: Sendable, Equatable {
    var matched: Int
    var of: Int
}

/// Adds up the time spent in database calls.
final class DatabaseStopwatch: @unchecked Sendable {
    private(set) var elapsed: Duration = .zero
    private let clock = ContinuousClock()

    func time<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = clock.now
        defer { elapsed += clock.now - start }
        return try await body()
    }
}

/// Full-text search over this process's in-memory index (`SearchEngine`, built from what `SearchIndexer`
/// stores), the same code on SQLite and PostgreSQL, so both find and rank alike. SQL is used only for the
/// theme filter and to load the page of results.
///
/// Each query word must match (AND). A word matches its own stems in every language (weight 1), words
/// containing it as part of a compound (0.5) and words within one or two edits (0.35, 0.2); see
/// `TermExpansion`. Scores are BM25 over field-weighted term frequencies (`InvertedIndex.search`), so a hit
/// in the title counts more than one in the body. Results that match every word exactly or by stem come
/// before results that needed a compound or typo match. Phrases in quotes must also stand together.
enum SearchQueries {
    static let analyzer = SearchIndexer.analyzer

    /// - Parameter bodies: `.readingTimeOnly` for lists of cards (a search with words then reads the beginnings of bodies, for passages).
    static func search(
        _ query: MaterialQuery, engine: SearchEngine, bodies: MaterialRecord.Body = .text, on db: any Database
    ) async throws -> SearchResult {
        let parsed = ParsedSearch(query.text ?? "", analyzer: analyzer)
        let stopwatch = DatabaseStopwatch()
        // Search the snapshot at hand; reading the page of results also reads the stored index's state,
        // and if that moved on since the snapshot was made, refresh and search again (a third time at most:
        // under a stream of changes the last answer is still as fresh as the start of this search).
        var snapshot: SearchEngine.Snapshot
        if let latest = await engine.latest() {
            snapshot = latest
        } else {
            snapshot = try await stopwatch.time { try await engine.current(on: db) }
        }
        var attempt = 1
        while true {
            let found = try await search(parsed, query, snapshot: snapshot, stopwatch: stopwatch, on: db)
            let current = snapshot
            let (state, vocabularyRevision, materials) = try await stopwatch.time {
                try await loadPage(found.page.map(\.document), snapshot: current, bodies: hitBodies(parsed, asked: bodies), engine: engine, on: db)
            }
            if state != snapshot.state && attempt < 3 {
                attempt += 1
                snapshot = try await stopwatch.time { try await engine.current(on: db) }
                continue
            }
            let facets = found.facets(snapshot: snapshot)
            var memo = MatchMemo(terms: found.matchedTerms, known: parsed.isEmpty ? [:] : engine.wordTerms.current)
            let results = found.page.compactMap { entry -> SearchHit? in
                guard let material = materials[entry.document] else { return nil }
                if parsed.isEmpty { return SearchHit(material: material, score: 0, snippet: nil, title: nil) }
                let passage = engine.records.passage(row: snapshot.documents.ids[entry.document], state: snapshot.state) {
                    passageText(of: material)
                }
                return hit(material, score: entry.score, passage: passage, memo: &memo)
            }
            // Let go of this search's copy of the shared table first, so adding to it does not copy it.
            let learned = memo.memos.map { $0.learnedOnly() }
            memo = MatchMemo(terms: [], known: [:])
            engine.wordTerms.learn(from: learned)
            var suggested: String?
            // Nothing, or only some of the words, found: perhaps a word is misspelt.
            if (found.total == 0 || found.partial != nil) && !parsed.isEmpty {
                suggested = try await stopwatch.time { try await suggestion(for: parsed, snapshot: snapshot, on: db) }
            }
            return SearchResult(query: query, hits: ResultPage(items: results, total: found.total, request: query.page),
                                facets: facets, suggestion: suggested, databaseTime: stopwatch.elapsed,
                                vocabularyRevision: vocabularyRevision, partial: found.total > 0 ? found.partial : nil)
        }
    }

    /// What a search finds in one snapshot: the hits of the requested page (in order), how many hits pass
    /// the filters, what the facets are counted from, and the index terms the query matched (for marking
    /// them).
    struct Found {
        var page: ArraySlice<InvertedIndex.Hit>
        var total: Int
        /// All hits, before filters.
        var hits: [InvertedIndex.Hit]
        var filters: Filters
        /// Whether phrases removed hits after the filters (then no facet count may exceed `total`).
        var phrased: Bool
        var matchedTerms: Set<String>
        var partial: PartialMatch?

        func facets(snapshot: SearchEngine.Snapshot) -> SearchFacets {
            let facets = SearchQueries.facets(of: hits, filters, snapshot: snapshot)
            return phrased ? facets.limited(toAtMost: total) : facets
        }
    }

    private static func search(
        _ parsed: ParsedSearch, _ query: MaterialQuery, snapshot: SearchEngine.Snapshot, stopwatch: DatabaseStopwatch,
        on db: any Database
    ) async throws -> Found {
        var hits: [InvertedIndex.Hit]
        var matchedTerms = Set<String>()
        var partial: PartialMatch?
        var ordered = query
        if parsed.isEmpty {
            // An empty search lists every published material, newest first.
            hits = (0..<snapshot.index.documentCount).filter(snapshot.index.isLive)
                .map { InvertedIndex.Hit(document: $0, score: 0, exactGroups: 0) }
            if ordered.sort == .relevance { ordered.sort = .newest }
        } else {
            let expanded = expand(parsed, in: snapshot.index.vocabulary, cache: snapshot.expansions)
            matchedTerms = expanded.terms
            hits = snapshot.index.search(expanded.groups)
            if hits.isEmpty && expanded.groups.count > 1 {
                (hits, partial) = mostWords(expanded.groups, index: snapshot.index)
            }
        }
        var themeMaterials: Set<UUID>?
        if let theme = query.theme {
            themeMaterials = try await stopwatch.time { try await members(ofTheme: theme, on: db) }
        }
        let filters = Filters(query, snapshot: snapshot, themeMaterials: themeMaterials)
        var kept = filters.kept(hits)

        let phrases = parsed.groups.filter(\.isPhrase).map(\.words)
        if !phrases.isEmpty {
            // Phrases: keep the candidates where the words stand together (which needs their text).
            let texts = try await stopwatch.time { try await load(kept.map { snapshot.documents.materials[$0.document] }, on: db) }
            kept = kept.filter { candidate in
                guard let material = texts[snapshot.documents.materials[candidate.document]] else { return false }
                let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
                let text = SearchIndexer.fields(material, vocabularies: Vocabularies()).map(\.text).joined(separator: " . ")
                return phrases.allSatisfy { Phrase.occurs($0, in: text, language: language, analyzer: analyzer) }
            }
        }
        let page = top(kept, count: query.page.offset + query.page.limit, sort: ordered.sort, snapshot: snapshot)
            .dropFirst(query.page.offset)
        return Found(page: page, total: kept.count, hits: hits, filters: filters, phrased: !phrases.isEmpty, matchedTerms: matchedTerms,
                     partial: partial)
    }

    /// When no document matches every group of a query: the documents that match the most groups (at least one),
    /// scored by the sum of what each matched group gives them.
    static func mostWords(_ groups: [[InvertedIndex.QueryTerm]], index: InvertedIndex) -> ([InvertedIndex.Hit], PartialMatch?) {
        var matched: [Int: (count: Int, score: Double)] = [:]
        for group in groups {
            for hit in index.search([group]) {
                let so = matched[hit.document] ?? (0, 0)
                matched[hit.document] = (so.count + 1, so.score + hit.score)
            }
        }
        guard let most = matched.values.map(\.count).max() else { return ([], nil) }
        let hits = matched.filter { $0.value.count == most }.keys.sorted()
            .map { InvertedIndex.Hit(document: $0, score: matched[$0]!.score, exactGroups: 0) }
        return (hits, PartialMatch(matched: most, of: groups.count))
    }

    /// The materials of a page of results, by document number, from the index's records, and the stored
    /// index's state and vocabulary revision — one statement, so the state is the one the records were read
    /// at. A document whose record is missing or unreadable is loaded from the material tables.
    static func loadPage(
        _ page: [Int], snapshot: SearchEngine.Snapshot, bodies: MaterialRecord.Body = .text, engine: SearchEngine, on db: any Database
    ) async throws -> (state: SearchEngine.State, vocabularyRevision: Int64?, materials: [Int: Material]) {
        let sql = db as! any SQLDatabase
        let cache = engine.records
        func key(_ document: Int) -> SearchEngine.Records.Key {
            SearchEngine.Records.Key(row: snapshot.documents.ids[document], body: bodies)
        }
        var materials: [Int: Material] = [:]
        var unread: [Int64: Int] = [:]
        for document in page {
            if let material = cache.material(key(document), at: snapshot.state) { materials[document] = material } else { unread[snapshot.documents.ids[document]] = document }
        }
        let (trusted, reading) = engine.revisions.trustedRevision()
        if unread.isEmpty, let trusted, let seen = engine.verified.last, seen.contentRevision == trusted, seen.state == snapshot.state {
            return (seen.state, seen.vocabularyRevision, materials)
        }
        let stateColumns: SQLQueryString = """
            \(SearchEngine.stateColumns), s.vocabulary_revision, \
            (SELECT revision FROM \(ident: ContentStateTable.schema) WHERE id = 1) AS content_revision
            """
        let rows: [any SQLRow]
        if unread.isEmpty {
            rows = try await sql.raw("SELECT \(stateColumns), NULL AS id, NULL AS record FROM search_stats s WHERE s.id = 1").all()
        } else {
            rows = try await sql.raw("""
                SELECT \(stateColumns), d.id, d.record FROM search_stats s \
                LEFT JOIN search_documents d ON d.id IN (\(binds: unread.keys.sorted())) WHERE s.id = 1
                """).all()
        }
        let state = SearchEngine.state(generation: try rows.first?.optional("generation", as: Int64.self),
                                       lastChange: try rows.first?.optional("last_change", as: Int64.self))
        let vocabularyRevision = try rows.first?.optional("vocabulary_revision", as: Int64.self)
        if let content = try rows.first?.optional("content_revision", as: Int64.self) {
            engine.revisions.remember(content, from: reading)
            engine.verified.remember(.init(state: state, vocabularyRevision: vocabularyRevision, contentRevision: content))
        }
        for row in rows {
            if let id = try row.optional("id", as: Int64.self), let document = unread[id], let record = try row.optional("record", as: Data.self),
               let material = MaterialRecord.decode(record, body: bodies) {
                materials[document] = material
                // Only records of the state the snapshot is at may be kept for it.
                if state == snapshot.state { cache.keep(material, at: key(document), state: state) }
            }
        }
        let missing = page.filter { materials[$0] == nil }
        if !missing.isEmpty {
            let loaded = try await load(missing.map { snapshot.documents.materials[$0] }, on: db)
            for document in missing { materials[document] = loaded[snapshot.documents.materials[document]] }
        }
        return (state, vocabularyRevision, materials)
    }

    /// The index terms each group of the query matches. A free word matches its stems exactly and, less,
    /// compounds and typos; a phrase becomes one group per word, with the words' own stems only.
    static func expand(
        _ parsed: ParsedSearch, in vocabulary: TermExpansion, cache: SearchEngine.ExpansionCache
    ) -> (groups: [[InvertedIndex.QueryTerm]], terms: Set<String>) {
        var groups: [[InvertedIndex.QueryTerm]] = []
        var matched = Set<String>()
        for parsedGroup in parsed.groups {
            if parsedGroup.isPhrase {
                for terms in parsedGroup.terms where !terms.isEmpty {
                    groups.append(terms.compactMap { term in
                        vocabulary.id(of: term).map { InvertedIndex.QueryTerm(term: $0, kind: 1, exact: true) }
                    })
                    matched.formUnion(terms)
                }
                continue
            }
            var best: [Int: (kind: Double, exact: Bool)] = [:]
            for term in parsedGroup.terms[0] {
                if let id = vocabulary.id(of: term) { best[id] = (1, true) }
            }
            for term in Set(parsedGroup.terms[0] + parsedGroup.words) {
                for match in cache.matches(of: term, in: vocabulary) {
                    let kind = match.kind == .compound ? 0.5 : (match.distance == 1 ? 0.35 : 0.2)
                    if (best[match.id]?.kind ?? 0) < kind { best[match.id] = (kind, false) }
                }
            }
            groups.append(best.sorted { $0.key < $1.key }.map { InvertedIndex.QueryTerm(term: $0.key, kind: $0.value.kind, exact: $0.value.exact) })
            matched.formUnion(best.keys.map(vocabulary.term(at:)))
        }
        return (groups, matched)
    }

    /// A query's filters as value numbers of one snapshot.
    struct Filters {
        static let typeBit = 1, yearBit = 2, languageBit = 4, audienceBit = 8, topicBit = 16, themeBit = 32
        let documents: SearchEngine.Documents
        let type, language, audience, topic, year: Int32?
        let themeMaterials: Set<UUID>?

        init(_ query: MaterialQuery, snapshot: SearchEngine.Snapshot, themeMaterials: Set<UUID>?) {
            let values = snapshot.values
            documents = snapshot.documents
            // A filter on a value the index does not hold matches nothing (-1 is no value's number).
            type = query.type.map { values.number(of: $0) ?? -1 }
            language = query.language.map { values.number(of: $0.rawValue) ?? -1 }
            audience = query.audience.map { values.number(of: $0) ?? -1 }
            topic = query.topic.map { values.number(of: $0) ?? -1 }
            year = query.year.map { Int32(clamping: $0) }
            self.themeMaterials = themeMaterials
        }

        var isEmpty: Bool {
            type == nil && year == nil && language == nil && audience == nil && topic == nil && themeMaterials == nil
        }

        /// The bits of the filters a document fails; 0 when it passes them all.
        func failures(_ d: Int, _ facets: SearchEngine.Documents.Facets) -> Int {
            var failed = 0
            if let type, facets.type != type { failed |= Self.typeBit }
            if let year, facets.year != year { failed |= Self.yearBit }
            if let language, facets.language != language { failed |= Self.languageBit }
            if let audience, !facets.audiences.contains(audience) { failed |= Self.audienceBit }
            if let topic, !facets.topics.contains(topic) { failed |= Self.topicBit }
            if let themeMaterials, !themeMaterials.contains(documents.materials[d]) { failed |= Self.themeBit }
            return failed
        }

        /// The hits that pass every filter.
        func kept(_ hits: [InvertedIndex.Hit]) -> [InvertedIndex.Hit] {
            if isEmpty { return hits }
            return documents.withFacets { facets in hits.filter { failures($0.document, facets($0.document)) == 0 } }
        }
    }

    /// The facet counts of the hits: each facet counted over the hits that pass every filter but its own.
    /// Counts go into arrays indexed by value number (and by year).
    static func facets(of hits: [InvertedIndex.Hit], _ filters: Filters, snapshot: SearchEngine.Snapshot) -> SearchFacets {
        let values = snapshot.values
        let documents = snapshot.documents
        var types = [Int](repeating: 0, count: values.strings.count)
        var languages = types, audiences = types, topics = types
        let earliest = Int(documents.earliestYear)
        var years = [Int](repeating: 0, count: max(0, Int(documents.latestYear) - earliest + 1))
        // Without filters (the common case) every hit counts in every facet.
        let filtered = !filters.isEmpty
        // Unsafe counters: a checked `counts[i] += 1` calls into the runtime on every hit, and such a loop
        // cannot start the next hits' memory reads while one waits (the hits are spread over the index).
        types.withUnsafeMutableBufferPointer { types in
        languages.withUnsafeMutableBufferPointer { languages in
        audiences.withUnsafeMutableBufferPointer { audiences in
        topics.withUnsafeMutableBufferPointer { topics in
        years.withUnsafeMutableBufferPointer { years in
        documents.withFacets { facetsOf in
            for hit in hits {
                let d = hit.document
                let facets = facetsOf(d)
                let failed = filtered ? filters.failures(d, facets) : 0
                if failed & ~Filters.typeBit == 0 { types[Int(facets.type)] += 1 }
                if failed & ~Filters.yearBit == 0, facets.year != SearchEngine.Documents.noYear { years[Int(facets.year) - earliest] += 1 }
                if failed & ~Filters.languageBit == 0 { languages[Int(facets.language)] += 1 }
                if failed & ~Filters.audienceBit == 0 { for value in facets.audiences { audiences[Int(value)] += 1 } }
                if failed & ~Filters.topicBit == 0 { for value in facets.topics { topics[Int(value)] += 1 } }
            }
        }
        }
        }
        }
        }
        }
        func named(_ counts: [Int]) -> [String: Int] {
            var result: [String: Int] = [:]
            for (number, count) in counts.enumerated() where count > 0 { result[values[Int32(number)]] = count }
            return result
        }
        var yearCounts: [Int: Int] = [:]
        for (offset, count) in years.enumerated() where count > 0 { yearCounts[earliest + offset] = count }
        return SearchFacets(types: named(types), audiences: named(audiences), topics: named(topics),
                            years: yearCounts, languages: named(languages))
    }

    /// The first `count` hits in the order of `sort`, found without sorting them all.
    static func top(_ hits: [InvertedIndex.Hit], count: Int, sort: MaterialSort, snapshot: SearchEngine.Snapshot) -> [InvertedIndex.Hit] {
        let documents = snapshot.documents
        let before: (InvertedIndex.Hit, InvertedIndex.Hit) -> Bool = { a, b in
            func byTitle() -> Bool {
                let x = documents.sortTitles[a.document], y = documents.sortTitles[b.document]
                return x != y ? x < y : documents.ids[a.document] < documents.ids[b.document]
            }
            func byRelevance() -> Bool {
                if a.exactGroups != b.exactGroups { return a.exactGroups > b.exactGroups }
                if a.score != b.score { return a.score > b.score }
                return byTitle()
            }
            switch sort {
            case .relevance: return byRelevance()
            case .title, .updated: return byTitle()
            case .titleDescending:
                let x = documents.sortTitles[a.document], y = documents.sortTitles[b.document]
                return x != y ? x > y : documents.ids[a.document] > documents.ids[b.document]
            case .newest, .oldest:
                // Materials without a year come last.
                let xYear = documents.year(a.document), yYear = documents.year(b.document)
                if (xYear == nil) != (yYear == nil) { return yYear == nil }
                if let xYear, let yYear, xYear != yYear { return sort == .newest ? xYear > yYear : xYear < yYear }
                if sort == .oldest { return a.score != b.score ? a.score > b.score : byTitle() }
                return byRelevance()
            }
        }
        guard count > 0 else { return [] }
        if hits.count <= count * 4 { return Array(hits.sorted(by: before).prefix(count)) }
        var best: [InvertedIndex.Hit] = []
        best.reserveCapacity(count + 1)
        for hit in hits {
            if best.count == count, !before(hit, best[count - 1]) { continue }
            var low = 0, high = best.count
            while low < high {
                let middle = (low + high) / 2
                if before(best[middle], hit) { low = middle + 1 } else { high = middle }
            }
            best.insert(hit, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// Whether each word of the results' texts (as written) is a hit, from the terms that words are known
    /// to have (`SearchEngine.WordTerms`), stemming only words not met before.
    ///
    /// Most words of a text are ruled out before that, by their first letters. The Danish and Swedish
    /// stemmers only ever take off or change letters after the third (their region R1 begins at the
    /// fourth letter at the earliest), so a word of three or more letters keeps its first three in its
    /// term, and a shorter word is its own term. English can change the second letter ("dying" → "die"),
    /// so there only the first letter is compared. This holds for the word after normalisation; a word
    /// whose first letters (and the one after them) are ASCII comes out of normalisation with those
    /// letters lowercased and otherwise unchanged, since only a combining mark could alter them, and
    /// that would not be ASCII. Other words are looked up as they are.
    struct MatchMemo {
        let terms: Set<String>
        private(set) var memos: [TermMemo]
        /// Bit per key of `prefixKey`: whether a matched term begins so (Danish and Swedish), and whether
        /// one begins with a given first letter (English).
        private var startsWithThree: [UInt64]
        private var startsWithOne: [UInt64]
        /// Keys are made of up to three ASCII letters or digits, each one of 36 values plus "none".
        private static let keyBase = 37

        init(terms: Set<String>, known: TermMemo.Table) {
            self.terms = terms
            memos = TermMemo.all(known: known)
            let keys = Self.keyBase * Self.keyBase * Self.keyBase
            startsWithThree = [UInt64](repeating: 0, count: keys / 64 + 1)
            startsWithOne = [UInt64](repeating: 0, count: Self.keyBase / 64 + 1)
            for term in terms {
                // A term with something else than ASCII letters or digits among its first three letters
                // can only be matched by words that are not ruled out here.
                if let key = Self.prefixKey(term.utf8, letters: 3) { Self.set(key, in: &startsWithThree) }
                if let key = Self.prefixKey(term.utf8, letters: 1) { Self.set(key, in: &startsWithOne) }
            }
        }

        private static func set(_ key: Int, in bits: inout [UInt64]) { bits[key >> 6] |= 1 << UInt64(key & 63) }
        private static func isSet(_ key: Int, in bits: [UInt64]) -> Bool { bits[key >> 6] & (1 << UInt64(key & 63)) != 0 }

        /// The first `letters` bytes of a word (fewer if it is shorter) as a number, lowercased, when they
        /// and the byte after them are ASCII and they are letters or digits; nil otherwise.
        static func prefixKey(_ word: some Collection<UInt8>, letters: Int) -> Int? {
            var key = 0
            var taken = 0
            for byte in word {
                guard byte < 0x80 else { return nil }
                if taken == letters { break }
                let value: Int
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0")) + 1
                case UInt8(ascii: "a")...UInt8(ascii: "z"): value = Int(byte - UInt8(ascii: "a")) + 11
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(byte - UInt8(ascii: "A")) + 11
                default: return nil
                }
                key = key * keyBase + value
                taken += 1
            }
            guard taken > 0 else { return nil }
            for _ in taken..<letters { key *= keyBase }
            return key
        }

        /// Whether a word whose index term is `term` (as `TermMemo` gives it, "" for none) is one of the search's.
        func isMatch(term: String) -> Bool {
            guard !term.isEmpty else { return false }
            if let key = Self.prefixKey(term.utf8, letters: 3), !Self.isSet(key, in: startsWithThree) { return false }
            return terms.contains(term)
        }

        mutating func isMatch(_ word: Substring, language: StemmerLanguage) -> Bool {
            let english = language == .english
            if let key = Self.prefixKey(word.utf8, letters: english ? 1 : 3),
               !Self.isSet(key, in: english ? startsWithOne : startsWithThree) { return false }
            let term = memos[TermMemo.slot(language)].term(ofWrittenWord: word, analyzer: analyzer)
            return !term.isEmpty && terms.contains(term)
        }
    }

    /// The passage is looked for among the first 80 words (the teaser and the body's beginning: a result page
    /// makes twenty, and testing every word of long bodies was most of a search's time); without a hit there,
    /// the passage is the beginning.
    /// How much of a body a hit's passage is looked for in: the passage is near the first matched word among
    /// the first 80 words of teaser and body, and holds 36.
    static let passageBodyBytes = 1_200

    /// What is read of each hit's body: what the caller asked for (the API's results carry whole bodies), but at
    /// least the beginning that a passage is looked for in.
    private static func hitBodies(_ parsed: ParsedSearch, asked: MaterialRecord.Body) -> MaterialRecord.Body {
        if parsed.isEmpty || asked == .text { return asked }
        return .beginning(bytes: passageBodyBytes)
    }

    /// How long a hit's passage is, and how far into the teaser and body the first hit is looked for.
    static let passageWords = 36, passageSearchedWords = 80

    /// What a hit's passage is made from: the teaser and the beginning of the body as plain text, and its words.
    static func passageText(of material: Material) -> SearchEngine.Records.Passage {
        let text = material.teaser + " " + Markdown.plainText(prefix(material.body, bytes: passageBodyBytes))
        let words = Snippet.words(text, analyzer: analyzer, maxWords: passageWords, searchedWords: passageSearchedWords)
        var memo = TermMemo(StemmerLanguage(rawValue: material.language.rawValue) ?? .danish)
        return .init(text: text, words: words, terms: words.map { memo.term(ofWrittenWord: text[$0], analyzer: analyzer) })
    }

    static func hit(_ material: Material, score: Double, passage: SearchEngine.Records.Passage, memo: inout MatchMemo) -> SearchHit {
        let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
        return SearchHit(
            material: material, score: score,
            snippet: Snippet.make(passage.text, words: passage.words, maxWords: passageWords, searchedWords: passageSearchedWords) {
                memo.isMatch(term: passage.terms[$0])
            },
            title: Snippet.make(material.title, analyzer: analyzer, maxWords: 1_000) { memo.isMatch($0, language: language) }
        )
    }

    /// At most `bytes` of `text`'s UTF-8, cut where a scalar begins.
    static func prefix(_ text: String, bytes: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > bytes else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(text[..<end])
    }

    /// The materials of a theme (the theme filter).
    private static func members(ofTheme slug: String, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { let material_id: UUID }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT tm.material_id FROM \(ident: ThemeMaterialModel.schema) tm JOIN \(ident: ThemeModel.schema) th ON th.id = tm.theme_id \
            WHERE th.slug = \(bind: slug)
            """).all(decoding: Row.self)
        return Set(rows.map(\.material_id))
    }

    private static func load(_ ids: [UUID], on db: any Database) async throws -> [UUID: Material] {
        try await MaterialQueries.byID(ids, on: db)
    }

    /// The query with each word the index does not hold replaced by the closest word it does hold
    /// (most frequent among the nearest, as it is written in a material), or nil when nothing better is known.
    static func suggestion(for parsed: ParsedSearch, snapshot: SearchEngine.Snapshot, on db: any Database) async throws -> String? {
        let index = snapshot.index
        var words: [String] = []
        var changed = false
        for group in parsed.groups {
            guard !group.isPhrase, let terms = group.terms.first, let word = group.words.first else {
                words.append("\"\(group.words.joined(separator: " "))\"")
                continue
            }
            if terms.contains(where: { index.documentFrequency(of: $0) > 0 }) { words.append(word); continue }
            var candidates = Set<String>()
            for term in Set(terms + [word]) {
                candidates.formUnion(index.vocabulary.expand(term, compounds: false, typos: true, extraDistance: 1, limit: 20).map(\.term))
            }
            let best = candidates.map { (term: $0, count: index.documentFrequency(of: $0)) }
                .filter { $0.count > 0 }
                .min { $0.count != $1.count ? $0.count > $1.count : $0.term < $1.term }
            guard let best, let example = try await example(of: best.term, snapshot: snapshot, on: db) else {
                words.append(word)
                continue
            }
            words.append(example)
            changed = true
        }
        return changed ? words.joined(separator: " ") : nil
    }

    /// A word as written in the first material that holds the term (the index keeps stems only).
    private static func example(of term: String, snapshot: SearchEngine.Snapshot, on db: any Database) async throws -> String? {
        guard let id = snapshot.index.vocabulary.id(of: term),
              let document = snapshot.index.postings(ofTermAt: id).first?.document else { return nil }
        let materialID = snapshot.documents.materials[document]
        guard let material = try await load([materialID], on: db)[materialID] else { return nil }
        let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
        for (text, _) in SearchIndexer.fields(material, vocabularies: try await VocabularyQueries.load(on: db)) {
            if let word = analyzer.words(text).first(where: { analyzer.term(for: $0.word, language: language) == term }) {
                return word.word
            }
        }
        return term
    }
}

extension SearchFacets {
    /// Phrase searches filter after counting; no facet count can exceed the number of results.
    func limited(toAtMost total: Int) -> SearchFacets {
        SearchFacets(types: types.mapValues { min($0, total) }, audiences: audiences.mapValues { min($0, total) },
                     topics: topics.mapValues { min($0, total) }, years: years.mapValues { min($0, total) },
                     languages: languages.mapValues { min($0, total) })
    }
}
