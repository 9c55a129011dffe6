import Fluent
import SQLKit

/// One row: how many documents the index holds and their total weighted length (for BM25's average),
/// and a generation number that a full reindex raises, so processes know to reload their term cache.
struct CreateSearchStats: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_stats")
            .field("id", .int64, .identifier(auto: false))
            .field("documents", .int64, .required)
            .field("total_length", .double, .required)
            .field("generation", .int64, .required)
            .create()
        try await (database as! any SQLDatabase).raw("INSERT INTO search_stats (id, documents, total_length, generation) VALUES (1, 0, 0, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_stats").delete()
    }
}
