import Fluent
import SQLKit

/// Each indexed document keeps its own analysed terms (`terms`: one "term<TAB>weighted frequency" per line)
/// and its audience and topic slugs (space-separated), so every app process can build its in-memory
/// inverted index from this one table (see `SearchEngine`).
///
/// Documents indexed before this migration have no terms, so they are dropped here; the next start finds
/// the index empty and rebuilds it (`prepareDatabase`), and the raised generation tells running processes
/// to reload.
struct UpdateSearchDocumentTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DELETE FROM search_documents").run()
        try await sql.raw("UPDATE search_stats SET documents = 0, total_length = 0, generation = generation + 1 WHERE id = 1").run()
        for column in ["terms", "audiences", "topics"] {
            try await sql.raw("ALTER TABLE search_documents ADD COLUMN \(ident: column) TEXT NOT NULL DEFAULT ''").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for column in ["topics", "audiences", "terms"] {
            // DROP COLUMN: SQLite 3.35+ (SQLiteNIO bundles a newer one) and PostgreSQL.
            try await sql.raw("ALTER TABLE search_documents DROP COLUMN \(ident: column)").run()
        }
    }
}
