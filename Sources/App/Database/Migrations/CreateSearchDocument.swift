import Fluent

/// One row per indexed (published) material, with its weighted length for BM25.
struct CreateSearchDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_documents")
            .field("material_id", .uuid, .identifier(auto: false), .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("length", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_documents").delete()
    }
}
