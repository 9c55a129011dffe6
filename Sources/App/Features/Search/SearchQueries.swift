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

/// Full-text search over the index `SearchIndexer` keeps. One implementation in SQL that SQLite and
/// PostgreSQL share, so both find and rank alike.
///
/// Each query word must match (AND). A word matches its own stems in every language (weight 1), words
/// containing it as part of a compound (0.5) and words within one or two edits (0.35, 0.2); see
/// `TermExpansion`. Scores are BM25 (k1 = 1.2, b = 0.75) over field-weighted term frequencies, so a hit in
/// the title counts more than one in the body. Results that match every word exactly or by stem come
/// before results that needed a compound or typo match. Phrases in quotes must also stand together.
enum SearchQueries {
    static let analyzer = SearchIndexer.analyzer
    static let k1 = 1.2
    static let b = 0.75

    enum Facet: CaseIterable { case type, audience, topic, year, language }

    struct WeightedTerm: Hashable {
        var id: Int64
        var group: Int
        var weight: Double
        var exact: Bool
    }

    static func search(_ query: MaterialQuery, vocabulary: SearchVocabulary, on db: any Database) async throws -> SearchResult {
        let parsed = ParsedSearch(query.text ?? "", analyzer: analyzer)
        let stopwatch = DatabaseStopwatch()
        let sql = db as! any SQLDatabase
        var hitsCTE: SQLQueryString
        var matchedTerms = Set<String>()
        var phrases: [[String]] = []
        var snapshot: SearchVocabulary.Snapshot?
        if parsed.isEmpty {
            // An empty search lists every published material, newest first.
            hitsCTE = "WITH hits AS (SELECT id AS doc_id, 0.0 AS score, 0 AS exact_groups FROM search_documents), "
        } else {
            let current = try await stopwatch.time { try await vocabulary.current(on: db) }
            snapshot = current
            let (expanded, group) = expand(parsed, in: current)
            phrases = parsed.groups.filter(\.isPhrase).map(\.words)
            matchedTerms = Set(expanded.map(\.term))
            if expanded.isEmpty || Set(expanded.map(\.group)).count < group {
                let empty = ResultPage<SearchHit>(items: [], total: 0, request: query.page)
                let suggested = try await stopwatch.time { try await Self.suggestion(for: parsed, snapshot: current, on: sql) }
                return SearchResult(query: query, hits: empty, facets: SearchFacets(), suggestion: suggested, databaseTime: stopwatch.elapsed)
            }
            // BM25 inputs: document frequencies of the expanded terms and the index statistics.
            struct Frequency: Decodable { let id: Int64; let doc_count: Int64 }
            let ids = Array(Set(expanded.map(\.id))).sorted()
            let frequencies = try await stopwatch.time {
                try await sql.raw("SELECT id, doc_count FROM search_terms WHERE id IN (\(binds: ids))").all(decoding: Frequency.self)
            }
            let df = Dictionary(uniqueKeysWithValues: frequencies.map { ($0.id, Double($0.doc_count)) })
            struct Stats: Decodable { let documents: Int64; let total_length: Double }
            let stats = try await stopwatch.time {
                try await sql.raw("SELECT documents, total_length FROM search_stats WHERE id = 1").first(decoding: Stats.self)
            }
            let documents = Double(max(stats?.documents ?? 1, 1))
            let averageLength = max((stats?.total_length ?? 1) / documents, 1)
            let weighted = expanded.map { entry -> WeightedTerm in
                let n = df[entry.id] ?? 0
                let idf = log(1 + (documents - n + 0.5) / (n + 0.5))
                return WeightedTerm(id: entry.id, group: entry.group, weight: entry.kind * idf, exact: entry.exact)
            }
            hitsCTE = Self.hitsCTE(weighted, groups: group, averageLength: averageLength)
        }

        // One statement: the page of hits (or, with phrases, every candidate) and the facet counts.
        let page: SQLQueryString = phrases.isEmpty
            ? "LIMIT \(literal: query.page.limit) OFFSET \(literal: query.page.offset)"
            : "LIMIT 100000"
        let rows = try await stopwatch.time {
            var ordered = query
            if parsed.isEmpty && ordered.sort == .relevance { ordered.sort = .newest }
            return try await sql.raw(resultStatement(hitsCTE, ordered, page: page)).all(decoding: ResultRow.self)
        }
        var facets = SearchFacets()
        var scored: [(id: UUID, score: Double)] = []
        var total = 0
        for row in rows {
            switch row.kind {
            case "hit":
                if let material = row.material { scored.append((material, row.score ?? 0)) }
                total = row.count
            case "type": if let key = row.key { facets.types[key] = row.count }
            case "year": if let key = row.key, let year = Int(key) { facets.years[year] = row.count }
            case "language": if let key = row.key { facets.languages[key] = row.count }
            case "audience": if let key = row.key { facets.audiences[key] = row.count }
            default: if let key = row.key { facets.topics[key] = row.count }
            }
        }
        if scored.isEmpty && query.page.offset > 0 && phrases.isEmpty {
            total = try await stopwatch.time { try await count(hitsCTE, query, on: sql) }
        }
        var materials: [UUID: Material] = [:]
        if !phrases.isEmpty {
            // Phrases: keep the candidates where the words stand together, then take the page.
            materials = try await stopwatch.time { try await load(scored.map(\.id), on: db) }
            let kept = scored.filter { candidate in
                guard let material = materials[candidate.id] else { return false }
                let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
                let text = SearchIndexer.fields(material, vocabularies: Vocabularies()).map(\.text).joined(separator: " . ")
                return phrases.allSatisfy { Phrase.occurs($0, in: text, language: language, analyzer: analyzer) }
            }
            total = kept.count
            scored = Array(kept.dropFirst(query.page.offset).prefix(query.page.limit))
            facets = facets.limited(toAtMost: total)
        }
        if phrases.isEmpty {
            materials = try await stopwatch.time { try await load(scored.map(\.id), on: db) }
        }
        let hits = scored.compactMap { entry -> SearchHit? in
            guard let material = materials[entry.id] else { return nil }
            if parsed.isEmpty { return SearchHit(material: material, score: 0, snippet: nil, title: nil) }
            return hit(material, score: entry.score, matchedTerms: matchedTerms)
        }
        var suggested: String?
        if total == 0, let snapshot {
            suggested = try await stopwatch.time { try await Self.suggestion(for: parsed, snapshot: snapshot, on: sql) }
        }
        return SearchResult(query: query, hits: ResultPage(items: hits, total: total, request: query.page),
                            facets: facets, suggestion: suggested, databaseTime: stopwatch.elapsed)
    }

    struct ExpandedTerm {
        var id: Int64
        var term: String
        var group: Int
        /// 1 for the word's own stems, less for compounds and typos.
        var kind: Double
        var exact: Bool
    }

    /// The index terms each group of the query matches, and the number of groups that must all match.
    /// A phrase becomes one group per word, with the words' own stems only.
    static func expand(_ parsed: ParsedSearch, in snapshot: SearchVocabulary.Snapshot) -> (terms: [ExpandedTerm], groups: Int) {
        var expanded: [ExpandedTerm] = []
        var group = 0
        for parsedGroup in parsed.groups {
            if parsedGroup.isPhrase {
                for terms in parsedGroup.terms where !terms.isEmpty {
                    for term in terms {
                        if let id = snapshot.ids[term] { expanded.append(ExpandedTerm(id: id, term: term, group: group, kind: 1, exact: true)) }
                    }
                    group += 1
                }
                continue
            }
            var best: [Int64: (term: String, kind: Double, exact: Bool)] = [:]
            for term in parsedGroup.terms[0] {
                if let id = snapshot.ids[term] { best[id] = (term, 1, true) }
            }
            for term in Set(parsedGroup.terms[0] + parsedGroup.words) {
                for match in snapshot.expansion.expand(term, limit: 40) {
                    guard let id = snapshot.ids[match.term] else { continue }
                    let kind = match.kind == .compound ? 0.5 : (match.distance == 1 ? 0.35 : 0.2)
                    if (best[id]?.kind ?? 0) < kind { best[id] = (match.term, kind, false) }
                }
            }
            for (id, value) in best.sorted(by: { $0.key < $1.key }) {
                expanded.append(ExpandedTerm(id: id, term: value.term, group: group, kind: value.kind, exact: value.exact))
            }
            group += 1
        }
        return (expanded, group)
    }

    struct ResultRow: Decodable {
        let kind: String
        let key: String?
        let material: UUID?
        let score: Double?
        let count: Int
    }

    static func hit(_ material: Material, score: Double, matchedTerms: Set<String>) -> SearchHit {
        let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
        let isMatch: (String) -> Bool = { word in analyzer.term(for: word, language: language).map(matchedTerms.contains) ?? false }
        let text = material.teaser + " " + Markdown.plainText(material.body)
        return SearchHit(
            material: material, score: score,
            snippet: Snippet.make(text, analyzer: analyzer, maxWords: 36, isMatch: isMatch),
            title: Snippet.make(material.title, analyzer: analyzer, maxWords: 1_000, isMatch: isMatch)
        )
    }

    /// `WITH q(...) AS (VALUES ...), per_group AS (...), hits AS (...), `: the documents holding every group,
    /// with their BM25 score and how many groups they match exactly. Within a group, exact and stemmed
    /// matches count when the document has them; only otherwise does its best compound or typo match count.
    static func hitsCTE(_ terms: [WeightedTerm], groups: Int, averageLength: Double) -> SQLQueryString {
        let values = terms.map {
            "(CAST(\(bind: $0.id) AS BIGINT), \(literal: $0.group), CAST(\(bind: $0.weight) AS DOUBLE PRECISION), \(literal: $0.exact ? 1 : 0))" as SQLQueryString
        }.joined(separator: ", ")
        let contribution: SQLQueryString = """
            q.w * p.tf * \(literal: k1 + 1) / (p.tf + \(literal: k1) * (\(literal: 1 - b) + \(literal: b) * d.length / \(literal: averageLength)))
            """
        let perGroup: SQLQueryString = groups == 1 && !terms.contains(where: { !$0.exact }) && Set(terms.map(\.id)).count == 1
            // One exact term: no grouping needed.
            ? "SELECT p.doc_id AS doc_id, \(contribution) AS score, 1 AS exact_groups FROM search_postings p JOIN q ON q.term_id = p.term_id JOIN search_documents d ON d.id = p.doc_id"
            : """
                SELECT doc_id, SUM(COALESCE(exact_score, other_score)) AS score, COUNT(exact_score) AS exact_groups FROM \
                (SELECT p.doc_id AS doc_id, q.grp AS grp, \
                SUM(CASE WHEN q.exact = 1 THEN \(contribution) END) AS exact_score, \
                MAX(CASE WHEN q.exact = 0 THEN \(contribution) END) AS other_score \
                FROM search_postings p JOIN q ON q.term_id = p.term_id JOIN search_documents d ON d.id = p.doc_id \
                GROUP BY p.doc_id, q.grp) per_group GROUP BY doc_id HAVING COUNT(*) = \(literal: groups)
                """
        return "WITH q (term_id, grp, w, exact) AS (VALUES \(values)), hits AS (\(perGroup)), "
    }

    /// The page of hits and every facet's counts in one statement. `MATERIALIZED` (SQLite 3.35+, PostgreSQL 12+)
    /// makes both compute the hits once; without it SQLite inlines them into each facet and rescans the postings.
    /// `CROSS JOIN` makes SQLite walk the hits and look up their terms by the (material, kind) key, rather
    /// than scan every material's terms; PostgreSQL plans it as an ordinary join.
    static func resultStatement(_ hitsCTE: SQLQueryString, _ query: MaterialQuery, page: SQLQueryString) -> SQLQueryString {
        let terms = MaterialTermModel.schema
        return """
            \(hitsCTE)base AS MATERIALIZED (SELECT h.doc_id, h.score, h.exact_groups, d.material_id, d.type_slug, d.year, d.language, d.sort_title \
            FROM hits h JOIN search_documents d ON d.id = h.doc_id) \
            SELECT * FROM (SELECT 'hit' AS kind, CAST(NULL AS TEXT) AS key, b.material_id AS material, b.score AS score, COUNT(*) OVER () AS count \
            FROM base b WHERE \(filters(query, except: nil)) ORDER BY \(unsafeRaw: order(query.sort)) \(page)) page \
            UNION ALL SELECT 'type', b.type_slug, NULL, NULL, COUNT(*) FROM base b WHERE \(filters(query, except: .type)) GROUP BY b.type_slug \
            UNION ALL SELECT 'year', CAST(b.year AS TEXT), NULL, NULL, COUNT(*) FROM base b WHERE b.year IS NOT NULL AND \(filters(query, except: .year)) GROUP BY b.year \
            UNION ALL SELECT 'language', b.language, NULL, NULL, COUNT(*) FROM base b WHERE \(filters(query, except: .language)) GROUP BY b.language \
            UNION ALL SELECT 'audience', t.term_slug, NULL, NULL, COUNT(*) FROM base b CROSS JOIN \(ident: terms) t \
            WHERE t.material_id = b.material_id AND t.kind = 'audience' AND \(filters(query, except: .audience)) GROUP BY t.term_slug \
            UNION ALL SELECT 'topic', t.term_slug, NULL, NULL, COUNT(*) FROM base b CROSS JOIN \(ident: terms) t \
            WHERE t.material_id = b.material_id AND t.kind = 'topic' AND \(filters(query, except: .topic)) GROUP BY t.term_slug
            """
    }

    private static func order(_ sort: MaterialSort) -> String {
        let yearsLast = "CASE WHEN b.year IS NULL THEN 1 ELSE 0 END"
        switch sort {
        case .newest: return "\(yearsLast), b.year DESC, b.exact_groups DESC, b.score DESC, b.sort_title, b.doc_id"
        case .oldest: return "\(yearsLast), b.year ASC, b.score DESC, b.sort_title, b.doc_id"
        case .title, .updated: return "b.sort_title, b.doc_id"
        case .titleDescending: return "b.sort_title DESC, b.doc_id DESC"
        case .relevance: return "b.exact_groups DESC, b.score DESC, b.sort_title, b.doc_id"
        }
    }

    /// The query's filters as SQL over `base b`, leaving out one facet's own filter.
    static func filters(_ query: MaterialQuery, except facet: Facet?) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if facet != .type, let type = query.type { parts.append("b.type_slug = \(bind: type)") }
        if facet != .year, let year = query.year { parts.append("b.year = \(bind: year)") }
        if facet != .language, let language = query.language { parts.append("b.language = \(bind: language.rawValue)") }
        for (kind, value, own) in [(VocabularyKind.audience, query.audience, Facet.audience), (.topic, query.topic, .topic)] {
            guard facet != own, let value else { continue }
            parts.append("""
                EXISTS (SELECT 1 FROM \(ident: MaterialTermModel.schema) ft WHERE ft.material_id = b.material_id \
                AND ft.kind = \(bind: kind.rawValue) AND ft.term_slug = \(bind: value))
                """)
        }
        if let theme = query.theme {
            parts.append("""
                EXISTS (SELECT 1 FROM \(ident: ThemeMaterialModel.schema) tm JOIN \(ident: ThemeModel.schema) th ON th.id = tm.theme_id \
                WHERE tm.material_id = b.material_id AND th.slug = \(bind: theme))
                """)
        }
        return parts.joined(separator: " AND ")
    }

    private static func count(_ hitsCTE: SQLQueryString, _ query: MaterialQuery, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let total: Int }
        return try await sql.raw("""
            \(hitsCTE)base AS (SELECT h.doc_id, d.material_id, d.type_slug, d.year, d.language FROM hits h JOIN search_documents d ON d.id = h.doc_id) \
            SELECT COUNT(*) AS total FROM base b WHERE \(filters(query, except: nil))
            """).first(decoding: Row.self)?.total ?? 0
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
    /// (most frequent among the nearest), or nil when nothing better is known.
    static func suggestion(for parsed: ParsedSearch, snapshot: SearchVocabulary.Snapshot, on sql: any SQLDatabase) async throws -> String? {
        var words: [String] = []
        var changed = false
        for group in parsed.groups {
            guard !group.isPhrase, let terms = group.terms.first, let word = group.words.first else {
                words.append("\"\(group.words.joined(separator: " "))\"")
                continue
            }
            if terms.contains(where: { snapshot.ids[$0] != nil }) { words.append(word); continue }
            var candidates: [String] = []
            for term in Set(terms + [word]) {
                candidates += snapshot.expansion.expand(term, compounds: false, typos: true, extraDistance: 1, limit: 20).map(\.term)
            }
            guard !candidates.isEmpty else { words.append(word); continue }
            struct Row: Decodable { let example: String; let doc_count: Int64 }
            let best = try await sql.raw("""
                SELECT example, doc_count FROM search_terms WHERE term IN (\(binds: candidates)) AND doc_count > 0 \
                ORDER BY doc_count DESC, term LIMIT 1
                """).first(decoding: Row.self)
            if let best { words.append(best.example); changed = true } else { words.append(word) }
        }
        return changed ? words.joined(separator: " ") : nil
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
