import Fluent

/// The vocabulary of the search index: one row per analysed term, with its document frequency
/// and one word it was seen as (for "did you mean").
struct CreateSearchTerm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_terms")
            .field("id", .int64, .identifier(auto: true))
            .field("term", .string, .required)
            .field("doc_count", .int64, .required)
            .field("example", .string, .required)
            .unique(on: "term")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_terms").delete()
    }
}
