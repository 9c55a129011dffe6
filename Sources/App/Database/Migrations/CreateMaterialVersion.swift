import Fluent

struct CreateMaterialVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MaterialVersionModel.schema)
            .id()
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("label", .string)
            .field("availability", .string, .required)
            .field("url", .string)
            .field("file_name", .string)
            .field("content_type", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MaterialVersionModel.schema).delete()
    }
}
