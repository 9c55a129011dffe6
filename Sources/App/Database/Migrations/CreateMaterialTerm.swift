import Fluent

struct CreateMaterialTerm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MaterialTermModel.schema)
            .id()
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("term_slug", .string, .required)
            .field("position", .int, .required)
            .unique(on: "material_id", "kind", "term_slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MaterialTermModel.schema).delete()
    }
}
