import Fluent
import SQLKit

/// Each indexed document also keeps its material as one compact record (`record`, see
/// `SamspilCore.MaterialRecord`), so a page of search results is one read of that table.
///
/// Documents indexed before this migration have no record, so they are dropped here; the next start finds
/// the index empty and rebuilds it (`prepareDatabase`), and the raised generation tells running processes
/// to reload. (A document without a record is still served, from the material tables.)
struct UpdateSearchDocumentRecord: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DELETE FROM search_documents").run()
        try await sql.raw("DELETE FROM search_changes").run()
        try await sql.raw("UPDATE search_stats SET documents = 0, total_length = 0, generation = generation + 1 WHERE id = 1").run()
        // `.data` is BLOB on SQLite and BYTEA on PostgreSQL.
        try await database.schema("search_documents").field("record", .data).update()
    }

    func revert(on database: any Database) async throws {
        // DROP COLUMN: SQLite 3.35+ (SQLiteNIO bundles a newer one) and PostgreSQL.
        try await database.schema("search_documents").deleteField("record").update()
    }
}
