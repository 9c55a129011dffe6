import Fluent

/// The SQL vocabulary table gave way to the in-memory index's own vocabulary (see `DropSearchPosting`).
/// Reverting recreates the empty table.
struct DropSearchTerm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_terms").delete()
    }

    func revert(on database: any Database) async throws {
        try await CreateSearchTerm().prepare(on: database)
    }
}
