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

    enum Facet: CaseIterable { case type, audience, topic, year, language }

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
            let expanded = expand(parsed, in: snapshot.index.vocabulary)
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
            let texts = try await stopwatch.time { try await load(kept.map { snapshot.documents[$0.document].material }, on: db) }
            kept = kept.filter { candidate in
                guard let material = texts[snapshot.documents[candidate.document].material] else { return false }
                let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
                let text = SearchIndexer.fields(material, vocabularies: Vocabularies()).map(\.text).joined(separator: " . ")
                return phrases.allSatisfy { Phrase.occurs($0, in: text, language: language, analyzer: analyzer) }
            }
            facets = facets.limited(toAtMost: kept.count)
        }
        let page = top(kept, count: query.page.offset + query.page.limit, sort: ordered.sort, snapshot: snapshot)
            .dropFirst(query.page.offset)
        let ids = page.map { snapshot.documents[$0.document].material }
        let materials = try await stopwatch.time { try await load(ids, on: db) }
        var memo = MatchMemo(terms: matchedTerms)
        let results = page.compactMap { entry -> SearchHit? in
            guard let material = materials[snapshot.documents[entry.document].material] else { return nil }
            if parsed.isEmpty { return SearchHit(material: material, score: 0, snippet: nil, title: nil) }
            return hit(material, score: entry.score, memo: &memo)
        }
        var suggested: String?
        if kept.isEmpty && !parsed.isEmpty {
            suggested = try await stopwatch.time { try await suggestion(for: parsed, snapshot: snapshot, on: db) }
        }
        return SearchResult(query: query, hits: ResultPage(items: results, total: kept.count, request: query.page),
                            facets: facets, suggestion: suggested, databaseTime: stopwatch.elapsed)
    }

    /// The index terms each group of the query matches. A free word matches its stems exactly and, less,
    /// compounds and typos; a phrase becomes one group per word, with the words' own stems only.
    static func expand(_ parsed: ParsedSearch, in vocabulary: TermExpansion) -> (groups: [[InvertedIndex.QueryTerm]], terms: Set<String>) {
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
                for match in vocabulary.expand(term, limit: 40) {
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
    /// every filter but its own.
    static func filterAndCount(
        _ hits: [InvertedIndex.Hit], _ query: MaterialQuery, snapshot: SearchEngine.Snapshot, themeMaterials: Set<UUID>?
    ) -> (kept: [InvertedIndex.Hit], facets: SearchFacets) {
        let values = snapshot.values
        // A filter on a value the index does not hold matches nothing (-1 is no value's number).
        let type = query.type.map { values.number(of: $0) ?? -1 }
        let language = query.language.map { values.number(of: $0.rawValue) ?? -1 }
        let audience = query.audience.map { values.number(of: $0) ?? -1 }
        let topic = query.topic.map { values.number(of: $0) ?? -1 }
        let typeBit = 1, yearBit = 2, languageBit = 4, audienceBit = 8, topicBit = 16, themeBit = 32
        var types: [Int32: Int] = [:], languages: [Int32: Int] = [:], audiences: [Int32: Int] = [:]
        var topics: [Int32: Int] = [:], years: [Int: Int] = [:]
        var kept: [InvertedIndex.Hit] = []
        for hit in hits {
            let document = snapshot.documents[hit.document]
            var failed = 0
            if let type, document.type != type { failed |= typeBit }
            if let year = query.year, document.year != year { failed |= yearBit }
            if let language, document.language != language { failed |= languageBit }
            if let audience, !document.audiences.contains(audience) { failed |= audienceBit }
            if let topic, !document.topics.contains(topic) { failed |= topicBit }
            if let themeMaterials, !themeMaterials.contains(document.material) { failed |= themeBit }
            if failed == 0 { kept.append(hit) }
            if failed & ~typeBit == 0 { types[document.type, default: 0] += 1 }
            if failed & ~yearBit == 0, let year = document.year { years[year, default: 0] += 1 }
            if failed & ~languageBit == 0 { languages[document.language, default: 0] += 1 }
            if failed & ~audienceBit == 0 { for value in document.audiences { audiences[value, default: 0] += 1 } }
            if failed & ~topicBit == 0 { for value in document.topics { topics[value, default: 0] += 1 } }
        }
        func named(_ counts: [Int32: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: counts.map { (values[$0.key], $0.value) })
        }
        return (kept, SearchFacets(types: named(types), audiences: named(audiences), topics: named(topics),
                                   years: years, languages: named(languages)))
    }

    /// The first `count` hits in the order of `sort`, found without sorting them all.
    static func top(_ hits: [InvertedIndex.Hit], count: Int, sort: MaterialSort, snapshot: SearchEngine.Snapshot) -> [InvertedIndex.Hit] {
        let documents = snapshot.documents
        let before: (InvertedIndex.Hit, InvertedIndex.Hit) -> Bool = { a, b in
            let x = documents[a.document], y = documents[b.document]
            func byTitle() -> Bool { x.sortTitle != y.sortTitle ? x.sortTitle < y.sortTitle : x.id < y.id }
            func byRelevance() -> Bool {
                if a.exactGroups != b.exactGroups { return a.exactGroups > b.exactGroups }
                if a.score != b.score { return a.score > b.score }
                return byTitle()
            }
            switch sort {
            case .relevance: return byRelevance()
            case .title, .updated: return byTitle()
            case .titleDescending: return x.sortTitle != y.sortTitle ? x.sortTitle > y.sortTitle : x.id > y.id
            case .newest, .oldest:
                // Materials without a year come last.
                if (x.year == nil) != (y.year == nil) { return y.year == nil }
                if let xYear = x.year, let yYear = y.year, xYear != yYear { return sort == .newest ? xYear > yYear : xYear < yYear }
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

    /// Remembers, within one search, whether each word of the results' texts is a hit.
    struct MatchMemo {
        let terms: Set<String>
        private var known: [StemmerLanguage: [String: Bool]] = [:]

        init(terms: Set<String>) { self.terms = terms }

        mutating func isMatch(_ word: String, language: StemmerLanguage) -> Bool {
            if let answer = known[language]?[word] { return answer }
            let answer = analyzer.term(for: word, language: language).map(terms.contains) ?? false
            known[language, default: [:]][word] = answer
            return answer
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
        var result: [UUID: Material] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let batch = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await MaterialModel.query(on: db).filter(\.$id ~~ batch)
                .with(\.$persons).with(\.$terms).with(\.$versions).all() {
                result[try row.requireID()] = row.domain()
            }
        }
        return result
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
        let materialID = snapshot.documents[document].material
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
