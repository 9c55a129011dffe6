import Fluent
import Foundation
import SamspilCore
import Vapor

/// What `bench/search` calls in-process: bulk loading of a generated corpus, the index build and single
/// searches, through the same code the routes use.
public enum SearchBenchmarkSupport {
    /// Stores the materials of a JSON-lines file (one material in the content format per line) without
    /// indexing them, a thousand per transaction. Returns how many were stored.
    public static func load(corpus: URL, on app: Application) async throws -> Int {
        let decoder = ContentDocument.decoder()
        let text = try String(contentsOf: corpus, encoding: .utf8)
        var batch: [Material] = []
        var stored = 0
        func flush() async throws {
            let materials = batch
            batch.removeAll(keepingCapacity: true)
            try await app.db.writeTransaction { tx in
                for material in materials {
                    try await MaterialQueries.save(material, now: app.samspil.clock(), indexing: false, on: tx)
                }
            }
            stored += materials.count
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            batch.append(try decoder.decode(Material.self, from: Data(line.utf8)))
            if batch.count == 1_000 { try await flush() }
        }
        try await flush()
        return stored
    }

    /// Rebuilds the search index; returns the number of materials indexed.
    public static func index(on app: Application) async throws -> Int {
        try await SearchIndexer.reindexAll(on: app.db)
    }

    /// One search as the API does it (20 results, facets, snippets); returns the number of hits.
    public static func search(_ text: String, on app: Application) async throws -> Int {
        let query = MaterialQuery(text: text, sort: .relevance, page: PageRequest(limit: 20))
        return try await SearchQueries.search(query, engine: app.samspil.searchEngine, on: app.db).hits.total
    }
}
