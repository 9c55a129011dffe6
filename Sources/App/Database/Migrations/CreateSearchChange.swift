import Fluent
import SQLKit

/// The log of index changes: one row per material whose index entry was written or removed, in the same
/// transaction. Every app process reads the rows after the last one it has seen before it searches, and
/// updates its in-memory index from them (see `SearchEngine`).
///
/// The sequence must never let a reader see change N + 1 before change N; writers therefore take a lock
/// on this table on PostgreSQL (SQLite has one writer at a time anyway), so changes commit in sequence order.
struct CreateSearchChange: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE TABLE search_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, material_id BLOB NOT NULL)").run()
        } else {
            try await sql.raw("CREATE TABLE search_changes (seq BIGSERIAL PRIMARY KEY, material_id UUID NOT NULL)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_changes").delete()
    }
}
