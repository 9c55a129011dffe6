import Fluent
import Foundation
import SamspilCore
import SamspilSearch

/// Reads over every published material that come from this process's in-memory index (`SearchEngine`) rather
/// than from the tables: related materials, the newest changes, every address. The index holds each
/// material's topics, year, title, address and last change; the materials themselves are then read in one
/// statement, which also reads the index's state, so an answer is never older than the latest change it could see.
enum CatalogueQueries {
    /// Up to `limit` published materials sharing a topic with the material or a theme (`siblings`: the other
    /// materials of its published themes), newest year first, then by title.
    static func related(
        to material: UUID, siblings: Set<UUID>, limit: Int, engine: SearchEngine, on db: any Database
    ) async throws -> [Material] {
        try await materials(engine: engine, bodies: .readingTimeOnly, on: db) { snapshot in
            guard let own = snapshot.byMaterial[material] else { return [] }
            let documents = snapshot.documents
            var chosen = Set(siblings.compactMap { snapshot.byMaterial[$0] })
            documents.withFacets { facets in
                let topics = Set(facets(own).topics)
                guard !topics.isEmpty else { return }
                for document in 0..<snapshot.index.documentCount where snapshot.index.isLive(document) && !chosen.contains(document) {
                    if facets(document).topics.contains(where: topics.contains) { chosen.insert(document) }
                }
            }
            chosen.remove(own)
            let hits = chosen.filter(snapshot.index.isLive).map { InvertedIndex.Hit(document: $0, score: 0, exactGroups: 0) }
            return SearchQueries.top(hits, count: limit, sort: .newest, snapshot: snapshot).map(\.document)
        }.materials
    }

    /// The `limit` published materials changed last, newest first (then newest year, then by title).
    static func recentlyUpdated(limit: Int, engine: SearchEngine, on db: any Database) async throws -> (materials: [Material], vocabularyRevision: Int64?) {
        try await materials(engine: engine, bodies: .none, on: db) { snapshot in
            let documents = snapshot.documents
            // Newest change first; materials saved at the same moment as the listings order them (newest year,
            // then title). The best `limit` kept in order as the documents go by.
            func before(_ a: Int, _ b: Int) -> Bool {
                if documents.updated[a] != documents.updated[b] { return documents.updated[a] > documents.updated[b] }
                let (x, y) = (documents.year(a), documents.year(b))
                if (x == nil) != (y == nil) { return y == nil }
                if let x, let y, x != y { return x > y }
                let (s, t) = (documents.sortTitles[a], documents.sortTitles[b])
                return s != t ? s < t : documents.ids[a] < documents.ids[b]
            }
            var best: [Int] = []
            for document in 0..<snapshot.index.documentCount where snapshot.index.isLive(document) {
                if best.count == limit, let last = best.last, !before(document, last) { continue }
                let place = best.firstIndex { before(document, $0) } ?? best.count
                best.insert(document, at: place)
                if best.count > limit { best.removeLast() }
            }
            return best
        }
    }

    /// What the sitemap lists: the facet counts of every published material (which listings have materials)
    /// and every published material's address and last change, in the index's order. The empty search that
    /// counts the facets brings the index up to date, so the addresses are read from the same snapshot.
    static func sitemap(engine: SearchEngine, on db: any Database) async throws -> (facets: SearchFacets, addresses: [(slug: String, lastModified: String)]) {
        let facets = try await SearchQueries.search(MaterialQuery(page: PageRequest(limit: 0)), engine: engine, on: db).facets
        let snapshot: SearchEngine.Snapshot
        if let latest = await engine.latest() { snapshot = latest } else { snapshot = try await engine.current(on: db) }
        let documents = snapshot.documents
        let addresses = (0..<snapshot.index.documentCount).filter(snapshot.index.isLive).map {
            (documents.slugs[$0], documents.stamps[$0])
        }
        return (facets, addresses)
    }

    /// Picks documents from the freshest snapshot and reads their materials; if the stored index moved on since
    /// the snapshot, refreshes it and picks again (a third time at most, as a search does).
    private static func materials(
        engine: SearchEngine, bodies: MaterialRecord.Body, on db: any Database, pick: (SearchEngine.Snapshot) -> [Int]
    ) async throws -> (materials: [Material], vocabularyRevision: Int64?) {
        var snapshot: SearchEngine.Snapshot
        if let latest = await engine.latest() { snapshot = latest } else { snapshot = try await engine.current(on: db) }
        var attempt = 1
        while true {
            let documents = pick(snapshot)
            // Cards and feed entries: no bodies (see `MaterialRecord.Body`).
            let (state, revision, materials) = try await SearchQueries.loadPage(documents, snapshot: snapshot, bodies: bodies, engine: engine, on: db)
            if state != snapshot.state && attempt < 3 {
                attempt += 1
                snapshot = try await engine.current(on: db)
                continue
            }
            return (documents.compactMap { materials[$0] }, revision)
        }
    }
}
