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

    static func search(_ query: MaterialQuery, engine: SearchEngine, on db: any Database) async throws -> SearchResult {
        let parsed = ParsedSearch(query.text ?? "", analyzer: analyzer)
        let stopwatch = DatabaseStopwatch()
        let snapshot = try await stopwatch.time { try await engine.current(on: db) }
        var hits: [InvertedIndex.Hit]
        var matchedTerms = Set<String>()
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
        }
        var themeMaterials: Set<UUID>?
        if let theme = query.theme {
            themeMaterials = try await stopwatch.time { try await members(ofTheme: theme, on: db) }
        }
        var (kept, facets) = filterAndCount(hits, query, snapshot: snapshot, themeMaterials: themeMaterials)

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
            facets = facets.limited(toAtMost: kept.count)
        }
        let page = top(kept, count: query.page.offset + query.page.limit, sort: ordered.sort, snapshot: snapshot)
            .dropFirst(query.page.offset)
        let ids = page.map { snapshot.documents.materials[$0.document] }
        let materials = try await stopwatch.time { try await load(ids, on: db) }
        var memo = MatchMemo(terms: matchedTerms, known: parsed.isEmpty ? [:] : engine.wordTerms.current)
        let results = page.compactMap { entry -> SearchHit? in
            guard let material = materials[snapshot.documents.materials[entry.document]] else { return nil }
            if parsed.isEmpty { return SearchHit(material: material, score: 0, snippet: nil, title: nil) }
            return hit(material, score: entry.score, memo: &memo)
        }
        // Let go of this search's copy of the shared table first, so adding to it does not copy it.
        let learned = memo.learned
        memo = MatchMemo(terms: [], known: [:])
        engine.wordTerms.learn(learned)
        var suggested: String?
        if kept.isEmpty && !parsed.isEmpty {
            suggested = try await stopwatch.time { try await suggestion(for: parsed, snapshot: snapshot, on: db) }
        }
        return SearchResult(query: query, hits: ResultPage(items: results, total: kept.count, request: query.page),
                            facets: facets, suggestion: suggested, databaseTime: stopwatch.elapsed)
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

    /// The hits that pass every filter, and the facet counts: each facet counted over the hits that pass
    /// every filter but its own. Counts go into arrays indexed by value number (and by year).
    static func filterAndCount(
        _ hits: [InvertedIndex.Hit], _ query: MaterialQuery, snapshot: SearchEngine.Snapshot, themeMaterials: Set<UUID>?
    ) -> (kept: [InvertedIndex.Hit], facets: SearchFacets) {
        let values = snapshot.values
        let documents = snapshot.documents
        // A filter on a value the index does not hold matches nothing (-1 is no value's number).
        let type = query.type.map { values.number(of: $0) ?? -1 }
        let language = query.language.map { values.number(of: $0.rawValue) ?? -1 }
        let audience = query.audience.map { values.number(of: $0) ?? -1 }
        let topic = query.topic.map { values.number(of: $0) ?? -1 }
        let year = query.year.map { Int32(clamping: $0) }
        let typeBit = 1, yearBit = 2, languageBit = 4, audienceBit = 8, topicBit = 16, themeBit = 32
        var types = [Int](repeating: 0, count: values.strings.count)
        var languages = types, audiences = types, topics = types
        let earliest = Int(documents.earliestYear)
        var years = [Int](repeating: 0, count: max(0, Int(documents.latestYear) - earliest + 1))
        var kept: [InvertedIndex.Hit] = []
        // Without filters (the common case) every hit is kept and counts in every facet.
        let filtered = type != nil || year != nil || language != nil || audience != nil || topic != nil || themeMaterials != nil
        for hit in hits {
            let d = hit.document
            var failed = 0
            if filtered {
                if let type, documents.types[d] != type { failed |= typeBit }
                if let year, documents.years[d] != year { failed |= yearBit }
                if let language, documents.languages[d] != language { failed |= languageBit }
                if let audience, !documents.audiences(d).contains(audience) { failed |= audienceBit }
                if let topic, !documents.topics(d).contains(topic) { failed |= topicBit }
                if let themeMaterials, !themeMaterials.contains(documents.materials[d]) { failed |= themeBit }
                if failed == 0 { kept.append(hit) }
            }
            if failed & ~typeBit == 0 { types[Int(documents.types[d])] += 1 }
            if failed & ~yearBit == 0, documents.years[d] != SearchEngine.Documents.noYear { years[Int(documents.years[d]) - earliest] += 1 }
            if failed & ~languageBit == 0 { languages[Int(documents.languages[d])] += 1 }
            if failed & ~audienceBit == 0 { for i in documents.audienceRange(d) { audiences[Int(documents.audiences[i])] += 1 } }
            if failed & ~topicBit == 0 { for i in documents.topicRange(d) { topics[Int(documents.topics[i])] += 1 } }
        }
        if !filtered { kept = hits }
        func named(_ counts: [Int]) -> [String: Int] {
            var result: [String: Int] = [:]
            for (number, count) in counts.enumerated() where count > 0 { result[values[Int32(number)]] = count }
            return result
        }
        var yearCounts: [Int: Int] = [:]
        for (offset, count) in years.enumerated() where count > 0 { yearCounts[earliest + offset] = count }
        return (kept, SearchFacets(types: named(types), audiences: named(audiences), topics: named(topics),
                                   years: yearCounts, languages: named(languages)))
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
    struct MatchMemo {
        let terms: Set<String>
        /// The known table's entries per language, taken out once (in `StemmerLanguage.allCases` order).
        private let known: [[String: String]]
        private(set) var learned: SearchEngine.WordTerms.Table = [:]
        /// Which ASCII bytes begin a matched term. Stemmers only change the end of a word, and an ASCII letter
        /// that is not followed by a combining mark (or any non-ASCII byte) comes out of normalisation as its
        /// lowercase self, so a word that begins so can only match a term that begins with that byte. Most
        /// words of a text are ruled out by this without stemming or hashing them.
        private var startsATerm = [Bool](repeating: false, count: 128)

        init(terms: Set<String>, known: SearchEngine.WordTerms.Table) {
            self.terms = terms
            self.known = StemmerLanguage.allCases.map { known[$0] ?? [:] }
            for term in terms { if let first = term.utf8.first, first < 0x80 { startsATerm[Int(first)] = true } }
        }

        mutating func isMatch(_ word: Substring, language: StemmerLanguage) -> Bool {
            var bytes = word.utf8.makeIterator()
            if let first = bytes.next(), first < 0x80 {
                let second = bytes.next()
                if second.map({ $0 < 0x80 }) ?? true {
                    let folded = (0x41...0x5A).contains(first) ? first + 0x20 : first
                    if !startsATerm[Int(folded)] { return false }
                }
            }
            let key = String(word)
            let term: String
            if let seen = known[StemmerLanguage.allCases.firstIndex(of: language)!][key] ?? learned[language]?[key] {
                term = seen
            } else {
                term = analyzer.term(ofWrittenWord: word, language: language) ?? ""
                learned[language, default: [:]][key] = term
            }
            return !term.isEmpty && terms.contains(term)
        }
    }

    static func hit(_ material: Material, score: Double, memo: inout MatchMemo) -> SearchHit {
        let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
        let text = material.teaser + " " + Markdown.plainText(material.body)
        return SearchHit(
            material: material, score: score,
            snippet: Snippet.make(text, analyzer: analyzer, maxWords: 36) { memo.isMatch($0, language: language) },
            title: Snippet.make(material.title, analyzer: analyzer, maxWords: 1_000) { memo.isMatch($0, language: language) }
        )
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
