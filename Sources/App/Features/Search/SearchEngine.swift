import Fluent
import SamspilCore
import Foundation
import SQLKit
import SamspilSearch
import Synchronization

/// This process's in-memory search index, built from the stored index (`search_documents`) and kept up to
/// date from the change log (`search_changes`).
///
/// Processes stay stateless: every search reads the stored index's state (the reindex generation and the
/// newest change) in the same statement that reads its page of results, and when that state is not the
/// one its snapshot was made at, the search refreshes and runs again. A refresh applies the changes this
/// process has not seen (the material's current row replaces its old entry, so applying a change twice
/// does no harm); a new generation, or too many replaced entries, reloads everything.
actor SearchEngine {
    /// What the index knows of its documents besides their terms — what search filters, sorts and counts
    /// facets on — indexed by document number (so a search over thousands of hits reads plain numbers, not
    /// structures).
    struct Documents: Sendable {
        private(set) var ids: [Int64] = []
        private(set) var materials: [UUID] = []
        private(set) var sortTitles: [String] = []
        /// Each material's address and last change (seconds since 1970), for the pages that list every
        /// published material (the sitemap, the feed) without reading them from the database.
        private(set) var slugs: [String] = []
        private(set) var updated: [Double] = []
        /// `updated` as the sitemap writes it (RFC 3339), made once per document rather than once per sitemap.
        private(set) var stamps: [String] = []
        private(set) var earliestYear = Int32.max
        private(set) var latestYear = Int32.min
        /// What filters and facets read, packed per document, so that a hit's facets are one short run in
        /// memory rather than a place in each of seven arrays (the hits of a search are spread over the whole
        /// index, so each place read is likely a cache miss): document d's run is
        /// `facets[facetStarts[d] ..< facetStarts[d + 1]]`, holding its type, language, year (or `noYear`),
        /// number of audiences, the audiences and then the topics (value numbers).
        private var facetStarts: [Int32] = [0]
        private var facets: [Int32] = []
        static let noYear = Int32.min
        private static let typeOffset = 0, languageOffset = 1, yearOffset = 2, audienceCountOffset = 3, audiencesOffset = 4

        mutating func append(
            id: Int64, material: UUID, type: Int32, language: Int32, sortTitle: String, slug: String, updated: Date, year: Int?,
            audiences: [Int32], topics: [Int32]
        ) {
            ids.append(id)
            materials.append(material)
            sortTitles.append(sortTitle)
            slugs.append(slug)
            self.updated.append(updated.timeIntervalSince1970)
            stamps.append(AtomFeed.timestamp(updated))
            let year = year.map { Int32(clamping: $0) } ?? Self.noYear
            if year != Self.noYear {
                earliestYear = min(earliestYear, year)
                latestYear = max(latestYear, year)
            }
            facets.append(type)
            facets.append(language)
            facets.append(year)
            facets.append(Int32(audiences.count))
            facets += audiences
            facets += topics
            facetStarts.append(Int32(facets.count))
        }

        /// Document d's packed run (see `facets`), for a loop over many documents.
        struct Facets {
            let run: UnsafeBufferPointer<Int32>.SubSequence
            var type: Int32 { run[run.startIndex + Documents.typeOffset] }
            var language: Int32 { run[run.startIndex + Documents.languageOffset] }
            /// The year, or `noYear`.
            var year: Int32 { run[run.startIndex + Documents.yearOffset] }
            var audiences: UnsafeBufferPointer<Int32>.SubSequence {
                let start = run.startIndex + Documents.audiencesOffset
                return run[start ..< start + Int(run[run.startIndex + Documents.audienceCountOffset])]
            }
            var topics: UnsafeBufferPointer<Int32>.SubSequence {
                run[(run.startIndex + Documents.audiencesOffset + Int(run[run.startIndex + Documents.audienceCountOffset]))...]
            }
        }

        /// Calls `body` with a function giving any document's facets; valid only inside `body`.
        func withFacets<T>(_ body: ((Int) -> Facets) throws -> T) rethrows -> T {
            try facetStarts.withUnsafeBufferPointer { starts in
                try facets.withUnsafeBufferPointer { facets in
                    try body { d in Facets(run: facets[Int(starts[d]) ..< Int(starts[d + 1])]) }
                }
            }
        }

        func year(_ document: Int) -> Int? {
            let year = facets[Int(facetStarts[document]) + Self.yearOffset]
            return year == Self.noYear ? nil : Int(year)
        }
    }

    /// Facet values (type, language, audience and topic slugs), numbered.
    struct Values: Sendable {
        private(set) var strings: [String] = []
        private var numbers: [String: Int32] = [:]

        mutating func number(_ value: String) -> Int32 {
            if let number = numbers[value] { return number }
            let number = Int32(strings.count)
            strings.append(value)
            numbers[value] = number
            return number
        }

        func number(of value: String) -> Int32? { numbers[value] }
        subscript(_ number: Int32) -> String { strings[Int(number)] }
    }

    /// Compound and typo matches of query words already looked up, valid while the vocabulary is unchanged
    /// (a snapshot whose vocabulary grew gets a new cache).
    final class ExpansionCache: Sendable {
        private let entries = Mutex<[String: [TermExpansion.Match]]>([:])
        static let capacity = 20_000

        func matches(of term: String, in vocabulary: TermExpansion) -> [TermExpansion.Match] {
            if let known = entries.withLock({ $0[term] }) { return known }
            let found = vocabulary.expand(term, limit: 40)
            entries.withLock { entries in
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
                entries[term] = found
            }
            return found
        }
    }

    /// The index term of each word (as written) that search results' snippets have met, per language, so
    /// that later searches need not stem it again. "" stands for a stop word. Shared by all searches: each
    /// takes a copy at its start and hands back what it learned at its end (see `TermMemo`).
    final class WordTerms: Sendable {
        private let table = Mutex<TermMemo.Table>([:])
        static let capacity = 200_000

        var current: TermMemo.Table { table.withLock { $0 } }

        func learn(from memos: [TermMemo]) {
            table.withLock { TermMemo.merge(memos, into: &$0, capacity: Self.capacity) }
        }
    }

    let wordTerms = WordTerms()

    /// Materials decoded from the stored index's records, so that a page of results need not read the same
    /// records' bytes through the database driver again and again (at 1,000 materials that was most of a search
    /// page's time: bench/RESULTS.md). Entries belong to one state of the stored index: records read by a
    /// statement that found the index at state S are what S holds, and any change to a record logs a change, so
    /// they are kept for searches at S only; a search at another state empties the cache. Keyed by the record's
    /// row and how much of the body was read. When full it is emptied and fills again with what is asked for.
    final class Records: Sendable {
        struct Key: Hashable, Sendable {
            let row: Int64
            let body: MaterialRecord.Body
        }

        /// The text a search hit's passage is made from, the ranges of its first words and each word's index
        /// term in the material's language ("" for none), so that marking a search's words is a lookup per word
        /// (`SearchQueries.hit`).
        struct Passage: Sendable {
            let text: String
            let words: [Range<String.Index>]
            let terms: [String]
        }

        private struct Store {
            var state: State?
            var entries: [Key: Material] = [:]
            var passages: [Int64: Passage] = [:]
        }

        private let store = Mutex(Store())
        static let capacity = 4_000

        func material(_ key: Key, at state: State) -> Material? {
            store.withLock { $0.state == state ? $0.entries[key] : nil }
        }

        func keep(_ material: Material, at key: Key, state: State) {
            store.withLock { store in
                Self.prepare(&store, for: state)
                store.entries[key] = material
            }
        }

        /// The passage text of the record in `row`, made by `make` the first time (the row's material must be
        /// the one read at `state`).
        func passage(row: Int64, state: State, make: () -> Passage) -> Passage {
            if let known = store.withLock({ $0.state == state ? $0.passages[row] : nil }) { return known }
            let passage = make()
            store.withLock { store in
                Self.prepare(&store, for: state)
                store.passages[row] = passage
            }
            return passage
        }

        private static func prepare(_ store: inout Store, for state: State) {
            if store.state != state || store.entries.count + store.passages.count >= capacity {
                store.entries.removeAll(keepingCapacity: true)
                store.passages.removeAll(keepingCapacity: true)
                store.state = state
            }
        }
    }

    let records = Records()

    /// The stored index's state and vocabulary revision as last read, with the content revision read in the same
    /// statement. Every change to the index raises the content revision in its own transaction, so while this
    /// process may trust that the content revision is still the same (`PageCache.trustedRevision`: read under
    /// half a second ago, no write of its own since), the state is too, and a page of results whose records are
    /// all kept needs no statement at all.
    final class Verified: Sendable {
        struct Seen: Sendable, Equatable {
            var state: State
            var vocabularyRevision: Int64?
            var contentRevision: Int64
        }

        private let seen = Mutex<Seen?>(nil)
        var last: Seen? { seen.withLock { $0 } }
        func remember(_ value: Seen) { seen.withLock { $0 = value } }
    }

    let verified = Verified()
    /// Where this process keeps the stored content revision it may trust (shared with the page cache).
    let revisions: PageCache

    init(revisions: PageCache) {
        self.revisions = revisions
    }

    /// Where the stored index stands: its reindex generation and its newest change. A snapshot made at one
    /// state is complete as long as the stored index is still at that state.
    struct State: Sendable, Equatable {
        var generation: Int64
        var lastChange: Int64
    }

    struct Snapshot: Sendable {
        var index = InvertedIndex()
        var expansions = ExpansionCache()
        /// By document number of `index`.
        var documents = Documents()
        var values = Values()
        var byMaterial: [UUID: Int] = [:]
        /// The stored index's state this snapshot reflects (generation -1: never loaded).
        var state = State(generation: -1, lastChange: 0)
    }

    private var snapshot = Snapshot()
    /// A refresh under way; searches that arrive meanwhile wait for it instead of starting another.
    private var refreshing: Task<Snapshot, any Error>?

    /// The index as last refreshed, without asking the database; nil before the first load. A search that
    /// starts from it reads the stored state together with its page of results and, if the index moved on
    /// meanwhile, refreshes and searches again (`SearchQueries.search`).
    func latest() -> Snapshot? {
        snapshot.state.generation < 0 ? nil : snapshot
    }

    /// The index as of now.
    func current(on db: any Database) async throws -> Snapshot {
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.refresh(on: db) }
        refreshing = task
        do {
            let result = try await task.value
            refreshing = nil
            return result
        } catch {
            refreshing = nil
            throw error
        }
    }

    /// The state from what `stateColumns` reads (nil: no stats row, or no change logged yet).
    static func state(generation: Int64?, lastChange: Int64?) -> State {
        State(generation: generation ?? 0, lastChange: lastChange ?? 0)
    }

    /// The columns of the stored state, for a query on `search_stats s`.
    static let stateColumns: SQLQueryString = "s.generation, (SELECT MAX(seq) FROM search_changes) AS last_change"

    private func refresh(on db: any Database) async throws -> Snapshot {
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let generation: Int64; let last_change: Int64? }
        let row = try await sql.raw("SELECT \(Self.stateColumns) FROM search_stats s WHERE s.id = 1").first(decoding: Row.self)
        let state = Self.state(generation: row?.generation, lastChange: row?.last_change)
        if state.generation != snapshot.state.generation || state.lastChange < snapshot.state.lastChange {
            try await reload(state: state, on: sql)
        } else if state.lastChange > snapshot.state.lastChange {
            try await applyChanges(after: snapshot.state.lastChange, on: sql)
            if snapshot.index.deadFraction > 0.2 && snapshot.index.documentCount > 1_000 {
                try await reload(state: state, on: sql)
            }
        }
        return snapshot
    }

    private struct Row: Decodable {
        let id: Int64
        let material_id: UUID
        let length: Double
        let type_slug: String
        let year: Int?
        let language: String
        let sort_title: String
        let slug: String
        let updated_at: Date
        let terms: String
        let audiences: String
        let topics: String
    }

    private static let columns: SQLQueryString = """
        d.id, d.material_id, d.length, d.type_slug, d.year, d.language, d.sort_title, m.slug, m.updated_at, d.terms, d.audiences, d.topics
        """
    private static let from: SQLQueryString = "search_documents d JOIN \(ident: MaterialModel.schema) m ON m.id = d.material_id"

    /// Loads every document. Changes committed after the state was read are applied on the next search.
    private func reload(state: State, on sql: any SQLDatabase) async throws {
        var fresh = Snapshot()
        fresh.state = state
        var lastID: Int64 = 0
        while true {
            let rows = try await sql.raw("""
                SELECT \(Self.columns) FROM \(Self.from) WHERE d.id > \(bind: lastID) ORDER BY d.id LIMIT 5000
                """).all(decoding: Row.self)
            guard let last = rows.last else { break }
            for row in rows { Self.add(row, to: &fresh) }
            lastID = last.id
        }
        fresh.index.compact()
        snapshot = fresh
    }

    private func applyChanges(after seq: Int64, on sql: any SQLDatabase) async throws {
        struct Change: Decodable { let seq: Int64; let material_id: UUID }
        let changes = try await sql.raw("SELECT seq, material_id FROM search_changes WHERE seq > \(bind: seq) ORDER BY seq")
            .all(decoding: Change.self)
        guard let newest = changes.last?.seq else { return }
        let materials = Array(Set(changes.map(\.material_id)))
        var rows: [UUID: Row] = [:]
        for chunk in materials.chunked(into: 500) {
            for row in try await sql.raw("""
                SELECT \(Self.columns) FROM \(Self.from) WHERE d.material_id IN (\(binds: Array(chunk)))
                """).all(decoding: Row.self) {
                rows[row.material_id] = row
            }
        }
        let terms = snapshot.index.vocabulary.count
        for material in materials.sorted(by: { $0.uuidString < $1.uuidString }) {
            if let old = snapshot.byMaterial.removeValue(forKey: material) { snapshot.index.remove(old) }
            if let row = rows[material] { Self.add(row, to: &snapshot) }
        }
        if snapshot.index.vocabulary.count != terms { snapshot.expansions = ExpansionCache() }
        snapshot.state.lastChange = max(snapshot.state.lastChange, newest)
    }

    private static func add(_ row: Row, to snapshot: inout Snapshot) {
        let number = snapshot.index.add(terms: parseTerms(row.terms), length: row.length)
        snapshot.documents.append(
            id: row.id, material: row.material_id, type: snapshot.values.number(row.type_slug),
            language: snapshot.values.number(row.language), sortTitle: row.sort_title, slug: row.slug, updated: row.updated_at, year: row.year,
            audiences: row.audiences.split(separator: " ").map { snapshot.values.number(String($0)) },
            topics: row.topics.split(separator: " ").map { snapshot.values.number(String($0)) }
        )
        snapshot.byMaterial[row.material_id] = number
    }

    /// Reads the stored "term<TAB>frequency" lines.
    static func parseTerms(_ text: String) -> [(term: String, frequency: Int)] {
        var result: [(term: String, frequency: Int)] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let tab = line.lastIndex(of: UInt8(ascii: "\t")),
                  let term = String(line[line.startIndex..<tab]),
                  let frequency = Int(Substring(line[line.index(after: tab)...])) else { continue }
            result.append((term, frequency))
        }
        return result
    }
}
