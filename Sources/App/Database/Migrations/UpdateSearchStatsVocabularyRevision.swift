import Fluent
import SQLKit

/// `vocabulary_revision`: raised by every change of the vocabulary terms (`VocabularyQueries.merge`). The
/// vocabularies label every search result, and each process keeps the ones it read last
/// (`VocabularyCache`); a search reads this number in the statement that loads its page of results, so a
/// process knows whether its copy is current without another query.
struct UpdateSearchStatsVocabularyRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_stats")
            .field("vocabulary_revision", .int64, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        // DROP COLUMN: SQLite 3.35+ (SQLiteNIO bundles a newer one) and PostgreSQL.
        try await database.schema("search_stats").deleteField("vocabulary_revision").update()
    }
}
