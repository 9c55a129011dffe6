import Fluent
import Foundation
import SamspilSearch

/// A full-text index of a small kind of public documents (the directory's organisations, the published cases),
/// made in this process from the database with the materials' machinery — `SearchIndexer.weightedTerms` for the
/// words, `InvertedIndex` with BM25, `ParsedSearch` and `SearchQueries.expand` for the query — and made again
/// when the content revision moves. Every change to such a document raises the revision in its own transaction,
/// so a change is found on the next search in every process, on SQLite and PostgreSQL alike. The kinds are small
/// next to the catalogue (tens of thousands at most), so a whole rebuild on a change is cheap.
actor RevisionIndex<Document: Sendable> {
    struct Snapshot: Sendable {
        var index = InvertedIndex()
        var expansions = SearchEngine.ExpansionCache()
        var documents: [Document] = []
        /// The content revision the snapshot was made at (-1: never made).
        var revision: Int64 = -1
    }

    /// One document and its fields' texts with their weights.
    typealias Entry = (document: Document, fields: [(text: String, weight: Int)])
    typealias Loader = @Sendable (any Database) async throws -> [Entry]

    private let loader: Loader
    private var snapshot = Snapshot()
    private var loading: Task<Snapshot, any Error>?

    init(loader: @escaping Loader) {
        self.loader = loader
    }

    /// The index as of the stored content revision (read here).
    func current(on db: any Database) async throws -> Snapshot {
        try await current(revision: try await ContentRevision.current(on: db), on: db)
    }

    /// The index as of `revision`, a content revision the caller has just read or may trust.
    func current(revision: Int64, on db: any Database) async throws -> Snapshot {
        while snapshot.revision < revision {
            if let loading {
                let loaded = try await loading.value
                if loaded.revision > snapshot.revision { snapshot = loaded }
                continue
            }
            let task = Task { [loader] in try await Self.load(loader, on: db) }
            loading = task
            defer { loading = nil }
            let fresh = try await task.value
            if fresh.revision > snapshot.revision { snapshot = fresh }
        }
        return snapshot
    }

    private static func load(_ loader: Loader, on db: any Database) async throws -> Snapshot {
        var fresh = Snapshot()
        // The revision first: rows read after it are at least as new, so a change committed in between is
        // caught by the next search (which sees a newer revision).
        fresh.revision = try await ContentRevision.current(on: db)
        var memo = TermMemo(.danish)
        for entry in try await loader(db) {
            let (terms, length) = SearchIndexer.weightedTerms(entry.fields, memo: &memo)
            _ = fresh.index.add(terms: terms, length: Double(length))
            fresh.documents.append(entry.document)
        }
        fresh.index.compact()
        return fresh
    }

    /// The documents that match `text`, unordered (BM25 scores): every word, or else the most words there are.
    static func hits(_ text: String, in snapshot: Snapshot) -> (hits: [InvertedIndex.Hit], partial: PartialMatch?) {
        let parsed = ParsedSearch(text, analyzer: SearchIndexer.analyzer)
        guard !parsed.isEmpty else { return ([], nil) }
        let (groups, _) = SearchQueries.expand(parsed, in: snapshot.index.vocabulary, cache: snapshot.expansions)
        let hits = snapshot.index.search(groups)
        if hits.isEmpty && groups.count > 1 { return SearchQueries.mostWords(groups, index: snapshot.index) }
        return (hits, nil)
    }
}
