import Fluent

/// The SQL postings table gave way to the in-memory index built from `search_documents.terms`
/// (see `UpdateSearchDocumentTerms`). Reverting recreates the empty table; `samspil reindex` of the
/// version before fills it.
struct DropSearchPosting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_postings").delete()
    }

    func revert(on database: any Database) async throws {
        try await CreateSearchPosting().prepare(on: database)
    }
}
