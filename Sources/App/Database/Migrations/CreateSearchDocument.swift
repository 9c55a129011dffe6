import Fluent

/// One row per indexed (published) material: a small integer id for the postings, its weighted length
/// for BM25, and copies of the fields the search filters, sorts and counts facets on.
struct CreateSearchDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_documents")
            .field("id", .int64, .identifier(auto: true))
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("length", .double, .required)
            .field("type_slug", .string, .required)
            .field("year", .int)
            .field("language", .string, .required)
            .field("sort_title", .string, .required)
            .unique(on: "material_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_documents").delete()
    }
}
