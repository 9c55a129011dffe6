import Fluent
import Foundation
import SQLKit
import SamspilSearch

/// This process's copy of the index vocabulary (term → id, plus the trigram index for compounds and typos).
///
/// Processes stay stateless: before each search the copy is brought up to date from the database with one
/// cheap query (the highest term id and the reindex generation). New terms are loaded incrementally;
/// a full reindex (new generation) reloads everything.
actor SearchVocabulary {
    struct Snapshot: Sendable {
        var expansion: TermExpansion
        var ids: [String: Int64]
    }

    private var snapshot = Snapshot(expansion: TermExpansion(), ids: [:])
    private var lastID: Int64 = 0
    private var generation: Int64 = -1

    func current(on db: any Database) async throws -> Snapshot {
        let sql = db as! any SQLDatabase
        struct State: Decodable { let generation: Int64; let max_id: Int64? }
        let state = try await sql.raw("SELECT generation, (SELECT MAX(id) FROM search_terms) AS max_id FROM search_stats WHERE id = 1")
            .first(decoding: State.self)
        let generation = state?.generation ?? 0
        let maxID = state?.max_id ?? 0
        if generation != self.generation || maxID < lastID {
            snapshot = Snapshot(expansion: TermExpansion(), ids: [:])
            lastID = 0
            self.generation = generation
        }
        if maxID > lastID {
            struct Row: Decodable { let id: Int64; let term: String }
            let rows = try await sql.raw("SELECT id, term FROM search_terms WHERE id > \(bind: lastID) ORDER BY id")
                .all(decoding: Row.self)
            for row in rows {
                snapshot.expansion.insert(row.term)
                snapshot.ids[row.term] = row.id
                lastID = max(lastID, row.id)
            }
        }
        return snapshot
    }
}
